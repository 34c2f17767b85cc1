use std::process::ExitCode;

fn main() -> ExitCode {
    ikensho::cli::run()
}
