//! `ikensho pdf`: the opinion on the official form as a PDF, from a file (a draft copy) or from
//! the store (a draft copy, or the final copy by a physician).

use std::path::{Path, PathBuf};

use crate::form::describe::Describer;
use crate::form::{Context, FormDef};
use crate::pdf::{PrintOptions, Printed, render};
use crate::workflow::{Copy, StoredPrint, print_stored, write_whole};

use super::error::{CliError, Outcome};
use super::store_cmds::Ctx;
use super::{exit, read_opinion, write_findings};

#[derive(clap::Args, Debug)]
pub struct PdfArgs {
    /// The opinion file (JSON). A file is printed as a draft copy, marked 下書き.
    #[arg(required_unless_present = "opinion", conflicts_with = "opinion")]
    file: Option<PathBuf>,
    /// An opinion kept in the store, by its number (with --as).
    #[arg(long, requires = "as_login")]
    opinion: Option<i64>,
    /// Who prints it (asks for the password).
    #[arg(long = "as")]
    as_login: Option<String>,
    /// The final copy for the municipality (physicians only): finalises a draft first, moves the
    /// opinion to 紙で提出, and is recorded in the audit trail.
    #[arg(long = "final", requires = "opinion")]
    final_copy: bool,
    /// With --final on a renewal: confirm every item carried over from the last opinion and not
    /// confirmed yet as unchanged (前回どおり); without it such an opinion is refused.
    #[arg(long, requires = "final_copy")]
    confirm_carried: bool,
    /// With --final on the R8 form: accept that text which does not fit its box goes on to a
    /// continuation sheet (別紙); without it such an opinion is refused.
    #[arg(long, requires = "final_copy")]
    allow_continuation: bool,
    /// Print 医師氏名 (記名) instead of leaving it blank for 自署: true or false
    /// (default: the clinic setting; blank for a file).
    #[arg(long)]
    print_physician_name: Option<bool>,
    /// Check dates as if today were this date (YYYY-MM-DD) when finalising.
    #[arg(long)]
    today: Option<jiff::civil::Date>,
    /// Where to write the PDF.
    #[arg(short, long)]
    output: PathBuf,
}

pub fn pdf(ctx: &Ctx<'_>, a: PdfArgs) -> Outcome {
    let (printed, form) = match (&a.file, a.opinion) {
        (Some(file), _) => from_file(file, a.print_physician_name.unwrap_or(false))?,
        (None, Some(id)) => from_store(ctx, &a, id)?,
        (None, None) => return Err(CliError::said(exit::USAGE, "cli-needs-opinion", &[])),
    };
    write_whole(&a.output, &printed.bytes)?;
    ctx.say(
        "cli-pdf-written",
        &[
            ("path", a.output.display().to_string()),
            ("pages", printed.pages.to_string()),
        ],
    );
    let d = Describer {
        locales: ctx.locales,
        lang: ctx.lang,
        form,
    };
    write_findings(&mut std::io::stdout().lock(), &d, &printed.findings);
    // Print findings are warnings: the PDF is written, and nothing in it is lost.
    Ok(if printed.findings.is_empty() {
        exit::CLEAN
    } else {
        exit::WARNINGS
    })
}

fn from_file(
    file: &Path,
    print_physician_name: bool,
) -> Result<(Printed, &'static FormDef), CliError> {
    let (opinion, form) = read_opinion(file)?;
    let printed = render(
        form,
        &opinion,
        PrintOptions {
            print_physician_name,
            draft: true,
        },
    )
    .map_err(crate::workflow::WorkflowError::Pdf)?;
    Ok((printed, form))
}

fn from_store(
    ctx: &Ctx<'_>,
    a: &PdfArgs,
    id: i64,
) -> Result<(Printed, &'static FormDef), CliError> {
    let mut store = ctx.open()?;
    let login = a.as_login.as_deref().unwrap_or_default();
    let session = ctx.sign_in(&mut store, login)?;
    let today = a.today.map_or_else(Context::today_in_japan, Context::new);
    let copy = if a.final_copy {
        Copy::Final
    } else {
        Copy::Draft
    };
    let how = StoredPrint {
        copy,
        print_physician_name: a.print_physician_name,
        confirm_carried: a.confirm_carried,
        allow_continuation: a.allow_continuation,
    };
    let stored = print_stored(&mut store, &session, id, &how, &today)?;
    Ok((stored.printed, FormDef::builtin(stored.form)?))
}
