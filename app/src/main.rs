use std::process::ExitCode;

fn main() -> ExitCode {
    ikensho_app::cli::run()
}
