//! 日医's 医見書 and its CSV: `import ikensyo-csv` takes a clinic's past opinions in, `export
//! ikensyo-csv` writes finalised opinions for the insurers that take that file.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::Subcommand;

use super::error::{CliError, Outcome};
use super::exit;
use super::store_cmds::Ctx;
use crate::store::StoreError;
use crate::workflow::{WorkflowError, import_ikensyo_csv};

#[derive(Subcommand, Debug)]
pub enum ImportCmd {
    /// Opinions from 日医's 医見書: the CSV it writes (主治医意見書, FormatVersion 1.2 or 1.0), each
    /// file in one transaction (administrators). Each opinion is kept as a past opinion (紙で提出)
    /// of its applicant; a row that does not parse is said with its row and column and not
    /// imported; a file imported again adds nothing twice. Exit 0 all imported, 1 some rows
    /// refused, 2 a file not read.
    IkensyoCsv {
        /// The CSV files, as 医見書 wrote them (or saved again as UTF-8).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long = "as")]
        as_login: String,
    },
}

pub fn import(ctx: &Ctx<'_>, cmd: ImportCmd) -> Outcome {
    let ImportCmd::IkensyoCsv { files, as_login } = cmd;
    let mut store = ctx.open()?;
    let admin = ctx.sign_in(&mut store, &as_login)?;
    let (locales, lang) = (ctx.locales, ctx.lang);
    let counter = std::io::stderr().is_terminal();
    let mut code = exit::CLEAN;
    for path in &files {
        let file = crate::files::name_of(path);
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                ctx.say(
                    "import-read-failed",
                    &[
                        ("file", path.display().to_string()),
                        ("detail", crate::i18n::io_detail(locales, lang, &e)),
                    ],
                );
                code = exit::ERRORS;
                continue;
            }
        };
        // The counter on the terminal, redrawn every 100 opinions and at the end.
        let mut progress = |p: crate::workflow::Progress| {
            if counter && (p.done.is_multiple_of(100) || p.done == p.total) {
                let line = locales.text_with(
                    lang,
                    "import-progress",
                    &[
                        ("file", file.clone()),
                        ("done", p.done.to_string()),
                        ("total", p.total.to_string()),
                    ],
                );
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r{line}\x1b[K");
                let _ = err.flush();
            }
            true
        };
        let result = import_ikensyo_csv(&mut store, &admin, &file, &bytes, &mut progress);
        if counter {
            eprint!("\r\x1b[K");
        }
        let report = match result {
            Ok(r) => r,
            Err(WorkflowError::Store(StoreError::Cancelled)) => {
                ctx.say("import-cancelled", &[("file", file.clone())]);
                code = exit::ERRORS;
                continue;
            }
            Err(e) => return Err(CliError::Workflow(e)),
        };
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", report.summary(locales, lang));
        for r in &report.refused {
            let _ = writeln!(out, "  {}", r.message(locales, lang, &file));
        }
        for n in report.notes_by_column(locales, lang) {
            let _ = writeln!(out, "  {n}");
        }
        if !report.refused.is_empty() && code == exit::CLEAN {
            code = exit::WARNINGS;
        }
    }
    Ok(code)
}

/// `export ikensyo-csv`: which opinions, where, by whom.
#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// The opinions' numbers (as `ikensho pdf --opinion` takes them), in the file's order.
    #[arg(long = "opinion", required = true, num_args = 1..)]
    opinions: Vec<i64>,
    /// Where to write, e.g. <事業所番号>_<yyyyMMdd>01.csv as 医見書 names it.
    #[arg(short, long)]
    output: PathBuf,
    #[arg(long = "as")]
    as_login: String,
}

pub fn export(ctx: &Ctx<'_>, a: ExportArgs) -> Outcome {
    let mut store = ctx.open()?;
    let who = ctx.sign_in(&mut store, &a.as_login)?;
    let file = crate::workflow::export_ikensyo_csv(&mut store, &who, &a.opinions, &a.output)?;
    let mut out = std::io::stdout().lock();
    for f in &file.findings {
        let _ = writeln!(out, "{}", f.message(ctx.locales, ctx.lang));
    }
    ctx.say(
        "export-written",
        &[
            ("path", a.output.display().to_string()),
            ("count", a.opinions.len().to_string()),
        ],
    );
    Ok(if file.findings.is_empty() {
        exit::CLEAN
    } else {
        exit::WARNINGS
    })
}
