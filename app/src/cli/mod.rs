//! The command line: the same jobs as the window, for scripts, tests and administrators.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::form::describe::Describer;
use crate::form::{Context, Finding, FormDef, FormVersion, Opinion, Severity, validate};
use crate::i18n::{Lang, Locales};
use error::{CliError, Outcome, UnknownValue};

mod card_cmds;
#[cfg(feature = "demo")]
pub mod demo;
pub mod error;
#[cfg(feature = "demo")]
mod hub_cmds;
mod ikensyo_cmds;
#[cfg(feature = "demo")]
mod kit_cmds;
mod pdf_cmd;
mod store_cmds;

/// Exit codes of `validate`: clean, warnings only, errors, unreadable input.
pub mod exit {
    pub const CLEAN: u8 = 0;
    pub const WARNINGS: u8 = 1;
    pub const ERRORS: u8 = 2;
    pub const UNREADABLE: u8 = 3;
    /// A store command was refused or failed (wrong password, missing role, …).
    pub const FAILED: u8 = 4;
    /// The command line itself was wrong (sysexits EX_USAGE), kept apart from 2 = errors found.
    pub const USAGE: u8 = 64;
}

/// What `--version` says: the program's version, the forms it writes and when it was built.
pub const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "\n様式 / forms: R8 (令和8年4月1日から / from 2026-04-01), R3 (令和3年 / 2021)",
    "\nビルド日 / built: ",
    env!("IKENSHO_BUILD_DATE"),
);

#[derive(Parser, Debug)]
#[command(
    name = "ikensho",
    version,
    long_version = LONG_VERSION,
    about = "主治医意見書 — fill, validate, print, sign and send"
)]
struct Cli {
    /// Language of messages: ja (default) or en.
    #[arg(long, global = true, default_value = "ja", value_parser = parse_lang)]
    lang: Lang,
    /// The data folder (default: $IKENSHO_DATA_DIR, or the platform's data folder).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Where the store is: the data folder's file (default), another file, or the clinic's
    /// server as postgresql://USER@HOST:PORT/DATABASE?sslrootcert=CA.pem (also $IKENSHO_STORE).
    #[arg(long, global = true, env = "IKENSHO_STORE")]
    store: Option<String>,
    /// Log what the program does to standard error (-v debug, -vv every card command). Logs never
    /// contain a PIN, a password or patient data.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    /// Without a command: the window (the set-up guide on a PC with no data yet).
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check an opinion file and print the findings. Exit 0 clean, 1 warnings, 2 errors, 3 unreadable.
    Validate {
        /// The opinion file (JSON).
        file: PathBuf,
        /// Check as if today were this date (YYYY-MM-DD); default: today in Japan.
        #[arg(long)]
        today: Option<jiff::civil::Date>,
        /// Print the findings as JSON (item ids, message keys and texts) instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Write an empty opinion file, every item present with an empty value.
    Template {
        /// Form version: R8 (from 2026-04-01, default) or R3.
        #[arg(long, default_value = "R8", value_parser = parse_form)]
        form: FormVersion,
        /// Where to write; standard output when omitted.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// People and their roles.
    #[command(subcommand)]
    User(store_cmds::UserCmd),
    /// The audit trail: verify its hash chain, export it as CSV.
    #[command(subcommand)]
    Audit(store_cmds::AuditCmd),
    /// Write a consistent copy of the data to PATH, safe while the program runs (administrators).
    Backup {
        path: PathBuf,
        #[arg(long = "as")]
        as_login: String,
        /// A server store's backup is a new data file with a key of its own: where to keep it.
        #[command(flatten)]
        keeping: store_cmds::KeepingArgs,
    },
    /// Replace the data with the backup at PATH; the data as it was is kept beside it.
    /// The login must be an administrator in the backup.
    Restore {
        path: PathBuf,
        #[arg(long = "as")]
        as_login: String,
        /// The backup was made under another key (before a re-key, or on another PC): ask for
        /// its recovery key.
        #[arg(long)]
        recovery_key: bool,
    },
    /// The store itself: where a data file's key is kept, a new key, the recovery key; a store
    /// on the clinic server made, copied to or from, and this terminal's password for it.
    #[command(subcommand)]
    Store(store_cmds::StoreCmd),
    /// Show the clinic settings, or change them (administrators).
    Clinic(store_cmds::ClinicArgs),
    /// The opinion on the official two-page A4 form as a PDF. Exit 0 written, 1 written with
    /// warnings (text over its box, characters the font lacks), 3 unreadable, 4 refused.
    Pdf(pdf_cmd::PdfArgs),
    /// List the card readers.
    Readers,
    /// Sign a document with the HPKI card: writes DOC.p7s (detached CMS). Shows the PIN tries
    /// left first, asks for the PIN (hidden, or one line of standard input), never retries it.
    Sign(card_cmds::SignArgs),
    /// Verify a detached CMS signature against trust anchors. Exit 0 valid, 2 not valid.
    Verify(card_cmds::VerifyArgs),
    /// Write a test PKI like HPKI (root, signing CA, physician) into DIR: for tests and the demo.
    #[cfg(feature = "demo")]
    TestPki {
        dir: PathBuf,
        /// The physician's name in the certificate.
        #[arg(long, default_value = "テスト 医師")]
        name: String,
    },
    /// Run the virtual HPKI card as a vpcd client (tests and the demo).
    #[cfg(feature = "demo")]
    Vcard(kit_cmds::VcardArgs),
    /// The demo: people, clinic, test PKI, virtual HPKI card and the hub simulator with open
    /// requests, all on this machine; then the window.
    #[cfg(feature = "demo")]
    Demo(demo::DemoArgs),
    /// Open the window on the data folder (what `ikensho` alone does); on a PC with no data yet,
    /// the set-up guide.
    Gui,
    /// The hub simulator on loopback (TLS 1.3, client certificates from its own test PKI, made on
    /// first run in DIR/pki), with demo requests; runs until stopped.
    #[cfg(feature = "demo")]
    HubSim(hub_cmds::HubSimArgs),
    /// Take in what another program wrote: `ikensyo-csv`, the clinic's past opinions from 日医's
    /// 医見書.
    #[command(subcommand)]
    Import(ikensyo_cmds::ImportCmd),
    /// FHIR exports: the form as a Questionnaire, or an opinion file as the document Bundle that
    /// would be sent to the hub.
    #[command(subcommand)]
    Export(ExportCmd),
}

#[derive(Subcommand, Debug)]
enum ExportCmd {
    /// The form definition as a FHIR R4 Questionnaire (linkIds = item ids).
    Questionnaire {
        #[arg(long, default_value = "R8", value_parser = parse_form)]
        form: FormVersion,
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// An opinion file as a FHIR R4 document Bundle.
    Document {
        file: PathBuf,
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Finalised opinions of the store as 医見書's CSV (FormatVersion 1.2), for an insurer that
    /// takes the file instead of paper (physicians). Exit 0 written, 1 written with what the
    /// format cannot carry listed, 4 refused (nothing written).
    IkensyoCsv(ikensyo_cmds::ExportArgs),
}

fn parse_lang(s: &str) -> Result<Lang, UnknownValue> {
    Lang::parse(s).ok_or_else(|| UnknownValue {
        what: "language",
        value: s.to_owned(),
        expected: "ja or en",
    })
}

fn parse_form(s: &str) -> Result<FormVersion, UnknownValue> {
    FormVersion::parse(s).ok_or_else(|| UnknownValue {
        what: "form",
        value: s.to_owned(),
        expected: "R3 or R8",
    })
}

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { exit::USAGE } else { 0 });
        }
    };
    if cli.verbose > 0 {
        let level = if cli.verbose > 1 {
            tracing::Level::TRACE
        } else {
            tracing::Level::DEBUG
        };
        let _ = tracing_subscriber::fmt()
            .with_max_level(level)
            .with_writer(std::io::stderr)
            .try_init();
    }
    let locales = match Locales::builtin() {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(exit::UNREADABLE);
        }
    };
    let ctx = || store_cmds::Ctx {
        locales,
        lang: cli.lang,
        data_dir: cli.data_dir.clone(),
        store: cli.store.clone(),
    };
    let lang = cli.lang;
    let outcome = match cli.command.unwrap_or(Command::Gui) {
        Command::Validate { file, today, json } => cmd_validate(locales, lang, &file, today, json),
        Command::Template { form, output } => cmd_template(locales, lang, form, output.as_deref()),
        Command::User(cmd) => store_cmds::user(&ctx(), cmd),
        Command::Audit(cmd) => store_cmds::audit(&ctx(), cmd),
        Command::Backup {
            path,
            as_login,
            keeping,
        } => store_cmds::backup(&ctx(), &path, &as_login, &keeping),
        Command::Restore {
            path,
            as_login,
            recovery_key,
        } => store_cmds::restore(&ctx(), &path, &as_login, recovery_key),
        Command::Store(cmd) => store_cmds::store_cmd(&ctx(), cmd),
        Command::Clinic(c) => store_cmds::clinic(&ctx(), c),
        Command::Pdf(a) => pdf_cmd::pdf(&ctx(), a),
        Command::Readers => card_cmds::list_readers(&ctx()),
        Command::Sign(a) => card_cmds::sign(&ctx(), a),
        Command::Verify(a) => card_cmds::verify_cmd(&ctx(), a),
        #[cfg(feature = "demo")]
        Command::TestPki { dir, name } => kit_cmds::test_pki(&ctx(), &dir, &name),
        #[cfg(feature = "demo")]
        Command::Vcard(a) => kit_cmds::vcard(&ctx(), a),
        Command::Export(ExportCmd::IkensyoCsv(a)) => ikensyo_cmds::export(&ctx(), a),
        Command::Export(e) => cmd_export(locales, e),
        Command::Import(cmd) => ikensyo_cmds::import(&ctx(), cmd),
        #[cfg(feature = "demo")]
        Command::HubSim(a) => hub_cmds::hub_sim(&ctx(), a),
        #[cfg(feature = "demo")]
        Command::Demo(a) => demo::demo(&ctx(), a),
        Command::Gui => store_cmds::gui(&ctx()),
    };
    ExitCode::from(match outcome {
        Ok(code) => code,
        Err(e) => {
            // The one place a command's error becomes words.
            eprintln!("{}", e.message(locales, lang));
            e.code()
        }
    })
}

pub(crate) use crate::i18n::args;

/// An opinion file read and checked against its form's shape.
pub(crate) fn read_opinion(file: &Path) -> Result<(Opinion, &'static FormDef), CliError> {
    let text = std::fs::read_to_string(file).map_err(|e| CliError::reading(file, e))?;
    let unreadable = |error| CliError::Read {
        path: file.to_path_buf(),
        error,
    };
    let opinion = Opinion::from_json(&text).map_err(unreadable)?;
    let form = FormDef::builtin(opinion.form_version)?;
    opinion.check_shape(form).map_err(unreadable)?;
    Ok((opinion, form))
}

fn cmd_validate(
    locales: &Locales,
    lang: Lang,
    file: &Path,
    today: Option<jiff::civil::Date>,
    json: bool,
) -> Outcome {
    let (opinion, form) = read_opinion(file)?;
    let ctx = today.map_or_else(Context::today_in_japan, Context::new);
    let report = validate(&opinion, form, &ctx);
    let d = Describer {
        locales,
        lang,
        form,
    };
    let (errors, warnings) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
    );
    let mut out = std::io::stdout().lock();
    if json {
        let findings: Vec<serde_json::Value> = report
            .findings
            .iter()
            .map(|f| {
                serde_json::json!({
                    "severity": f.severity,
                    "item": f.item,
                    "message": f.message,
                    "text": d.finding(f),
                    "fixable": f.fix.is_some(),
                })
            })
            .collect();
        let doc = serde_json::json!({
            "form_version": form.version,
            "errors": errors,
            "warnings": warnings,
            "findings": findings,
        });
        let _ = writeln!(out, "{doc:#}");
    } else {
        write_findings(&mut out, &d, &report.findings);
        if report.findings.is_empty() {
            let _ = writeln!(out, "{}", locales.text(lang, "cli-clean", None));
        } else {
            let a = args(&[
                ("errors", errors.to_string()),
                ("warnings", warnings.to_string()),
            ]);
            let _ = writeln!(out, "{}", locales.text(lang, "cli-summary", Some(&a)));
        }
    }
    Ok(match report.worst() {
        None => exit::CLEAN,
        Some(Severity::Warning) => exit::WARNINGS,
        Some(Severity::Error) => exit::ERRORS,
    })
}

/// One line per finding: severity, section › item, message (and the offer of a fix).
pub(crate) fn write_findings(out: &mut impl Write, d: &Describer<'_>, findings: &[Finding]) {
    for f in findings {
        let fix = if f.fix.is_some() {
            format!(" {}", d.locales.text(d.lang, "cli-fix-offered", None))
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{}\t{}\t{}{fix}",
            d.severity(f.severity),
            d.item_path(&f.item),
            d.finding(f)
        );
    }
}

fn cmd_export(locales: &Locales, e: ExportCmd) -> Outcome {
    let (value, output) = match e {
        ExportCmd::Questionnaire { form, output } => {
            let form = FormDef::builtin(form)?;
            (crate::hub::fhir::questionnaire(form, locales), output)
        }
        ExportCmd::Document { file, output } => {
            let (op, form) = read_opinion(&file)?;
            let ids = crate::hub::fhir::DocumentIds::new_now();
            (crate::hub::fhir::document(form, &op, &ids, locales), output)
        }
        // Handled with the store, in `run`.
        ExportCmd::IkensyoCsv(_) => return Ok(exit::USAGE),
    };
    let text = serde_json::to_string_pretty(&value).unwrap_or_default();
    match output {
        None => {
            let _ = writeln!(std::io::stdout().lock(), "{text}");
        }
        // A document holds the applicant's data: the owner's only.
        Some(p) => crate::files::write_private(&p, text.as_bytes())
            .map_err(|e| CliError::writing(&p, e))?,
    }
    Ok(exit::CLEAN)
}

fn cmd_template(
    locales: &Locales,
    lang: Lang,
    version: FormVersion,
    output: Option<&Path>,
) -> Outcome {
    let form = FormDef::builtin(version)?;
    let json = Opinion::empty(form, true).to_json();
    match output {
        None => {
            let _ = std::io::stdout().lock().write_all(json.as_bytes());
        }
        Some(p) => {
            std::fs::write(p, json).map_err(|e| CliError::writing(p, e))?;
            let path = p.display().to_string();
            eprintln!(
                "{}",
                locales.text_with(lang, "cli-template-written", &[("path", path)])
            );
        }
    }
    Ok(exit::CLEAN)
}

/// Whether a window can be opened: on Linux and the BSDs an X11 or Wayland display must be named
/// (`DISPLAY` or `WAYLAND_DISPLAY`); elsewhere there always is one.
pub(crate) fn has_display() -> bool {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return true;
    }
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}
