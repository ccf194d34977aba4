//! The command line, and the checks that make its settings sound.

use crate::codes::{self, Codes, RetryCodes};
use crate::duration::{self, Exact};
use clap::error::ErrorKind;
use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, ValueEnum};
use std::ffi::OsString;
use std::time::Duration;

/// How delays grow from one retry to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Backoff {
    /// Each delay is the previous one times --factor.
    Exponential,
    /// Every delay is --delay.
    Constant,
    /// Each delay is --delay longer than the previous one.
    Linear,
    /// Each delay is the sum of the two before it.
    Fibonacci,
}

/// How much randomness each delay gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum JitterKind {
    /// The delays as computed.
    None,
    /// A random delay between zero and the computed one.
    Full,
    /// Half the computed delay, plus a random part of the other half.
    Equal,
}

/// Run a program, and run it again while it fails, waiting longer and
/// longer between runs.
#[derive(Debug, Parser)]
#[command(
    name = "backon",
    version,
    override_usage = "backon [OPTIONS] [--] <PROGRAM> [ARGS]...",
    after_help = "Exit status:
  N      the last run's status, 128+N when signal N killed it
  124    a time limit ended the last run (--timeout, or
         --attempt-timeout on the last attempt)
  125    backon itself failed
  126    the program cannot be executed
  127    the program was not found
  2      a usage error"
)]
struct Args {
    /// Runs in all, the first one included.
    #[arg(
        short = 'n',
        long,
        value_name = "N",
        default_value = "5",
        value_parser = attempts,
        allow_negative_numbers = true,
        conflicts_with = "forever"
    )]
    attempts: u32,

    /// Retry with no attempt limit, until success, --timeout or a signal.
    #[arg(long)]
    forever: bool,

    /// The first delay, as in 250ms, 2s, 1m30s.
    #[arg(
        short = 'd',
        long,
        value_name = "DUR",
        default_value = "100ms",
        value_parser = duration::parse,
        allow_hyphen_values = true
    )]
    delay: Duration,

    /// The longest delay; when not given, --delay if that is longer.
    #[arg(
        long,
        value_name = "DUR",
        default_value = "30s",
        value_parser = nonzero_duration,
        allow_hyphen_values = true
    )]
    max_delay: Duration,

    /// How delays grow.
    #[arg(short = 'b', long, value_enum, value_name = "KIND", default_value_t = Backoff::Exponential)]
    backoff: Backoff,

    /// What each delay is multiplied by, for exponential backoff.
    #[arg(
        long,
        value_name = "F",
        default_value = "2",
        value_parser = factor,
        allow_negative_numbers = true
    )]
    factor: f64,

    /// How much randomness each delay gets.
    #[arg(short = 'j', long, value_enum, value_name = "KIND", default_value_t = JitterKind::Full)]
    jitter: JitterKind,

    /// A time limit for all runs and delays; when it passes, or no run can
    /// start before it, the running program is stopped and backon exits
    /// with 124.
    #[arg(
        short = 't',
        long,
        value_name = "DUR",
        value_parser = nonzero_duration,
        allow_hyphen_values = true
    )]
    timeout: Option<Duration>,

    /// A time limit for each run; a run that lasts longer is stopped
    /// (SIGTERM, then SIGKILL 100ms later) and counts as failed.
    #[arg(
        long,
        value_name = "DUR",
        value_parser = nonzero_duration,
        allow_hyphen_values = true
    )]
    attempt_timeout: Option<Duration>,

    /// Retry only these exit codes, as in 1,75,100-110.
    #[arg(
        long,
        value_name = "CODES",
        default_value = "1-255",
        value_parser = codes::parse,
        allow_hyphen_values = true
    )]
    retry_on: Codes,

    /// Never retry these exit codes.
    #[arg(
        long,
        value_name = "CODES",
        value_parser = codes::parse,
        allow_hyphen_values = true
    )]
    stop_on: Option<Codes>,

    /// Print nothing about failed runs; backon's own errors still show.
    #[arg(short, long)]
    quiet: bool,

    /// The program to run, and its arguments.
    #[arg(value_name = "PROGRAM", required = true, trailing_var_arg = true, num_args = 1..)]
    command: Vec<OsString>,
}

/// What the command line asks for, checked.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// Runs in all; `None` with `--forever`.
    pub(crate) attempts: Option<u32>,
    pub(crate) delay: Duration,
    pub(crate) max_delay: Duration,
    pub(crate) backoff: Backoff,
    pub(crate) factor: f64,
    pub(crate) jitter: JitterKind,
    pub(crate) timeout: Option<Duration>,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) codes: RetryCodes,
    pub(crate) quiet: bool,
    pub(crate) program: OsString,
    pub(crate) args: Vec<OsString>,
}

/// Reads the command line.
///
/// # Errors
///
/// Returns a usage error that names the flag at fault; its `exit()`
/// prints it and exits with 2 (or 0 for `--help` and `--version`).
pub(crate) fn parse<I, T>(argv: I) -> Result<Settings, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let matches = Args::command().try_get_matches_from(argv)?;
    let args = Args::from_arg_matches(&matches).map_err(|err| err.format(&mut Args::command()))?;
    let given = Given::from(&matches);
    check(&args, given)
        .map_err(|message| Args::command().error(ErrorKind::ArgumentConflict, message))?;

    // The implicit cap never refuses a delay: it rises to meet it.
    let max_delay = if given.max_delay {
        args.max_delay
    } else {
        args.max_delay.max(args.delay)
    };

    let mut command = args.command.into_iter();
    Ok(Settings {
        attempts: (!args.forever).then_some(args.attempts),
        delay: args.delay,
        max_delay,
        backoff: args.backoff,
        factor: args.factor,
        jitter: args.jitter,
        timeout: args.timeout,
        attempt_timeout: args.attempt_timeout,
        codes: RetryCodes {
            retry_on: given.retry_on.then_some(args.retry_on),
            stop_on: args.stop_on,
        },
        quiet: args.quiet,
        program: command.next().unwrap_or_default(),
        args: command.collect(),
    })
}

/// Which flags with a default were given on the command line.
#[derive(Debug, Clone, Copy)]
struct Given {
    max_delay: bool,
    factor: bool,
    retry_on: bool,
}

impl From<&ArgMatches> for Given {
    fn from(matches: &ArgMatches) -> Self {
        let given = |id: &str| matches.value_source(id) == Some(ValueSource::CommandLine);
        Given {
            max_delay: given("max_delay"),
            factor: given("factor"),
            retry_on: given("retry_on"),
        }
    }
}

/// The checks that involve more than one flag.
fn check(args: &Args, given: Given) -> Result<(), String> {
    if given.factor && args.backoff != Backoff::Exponential {
        let backoff = args
            .backoff
            .to_possible_value()
            .expect("no variant is skipped");
        return Err(format!(
            "--factor applies to --backoff exponential only, not {}",
            backoff.get_name()
        ));
    }

    if given.max_delay && args.delay > args.max_delay {
        return Err(format!(
            "--delay {} is above --max-delay {}; raise --max-delay or lower --delay",
            Exact(args.delay),
            Exact(args.max_delay)
        ));
    }

    if let (true, Some(stop)) = (given.retry_on, args.stop_on) {
        let both = args.retry_on.common(&stop);
        if !both.is_empty() {
            return Err(format!("--retry-on and --stop-on both list {both}"));
        }
    }

    Ok(())
}

fn attempts(text: &str) -> Result<u32, String> {
    match text.parse::<u32>() {
        Ok(0) => Err("a program runs at least once; use 1 or more".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("must be a whole number from 1 to {}", u32::MAX)),
    }
}

fn nonzero_duration(text: &str) -> Result<Duration, String> {
    match duration::parse(text) {
        Ok(d) if d.is_zero() => Err("must be longer than zero".into()),
        Ok(d) => Ok(d),
        Err(err) => Err(err.to_string()),
    }
}

fn factor(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() && f >= 1.0 => Ok(f),
        Ok(_) => Err("must be a number of at least 1, as in 1.5 or 2".into()),
        Err(err) => Err(err.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(argv: &[&str]) -> Settings {
        let argv = std::iter::once("backon").chain(argv.iter().copied());
        match parse(argv) {
            Ok(settings) => settings,
            Err(err) => panic!("{err}"),
        }
    }

    /// Returns the message of the usage error, which must exist.
    fn parse_err(argv: &[&str]) -> String {
        let argv = std::iter::once("backon").chain(argv.iter().copied());
        match parse(argv) {
            Ok(settings) => panic!("accepted {settings:?}"),
            Err(err) => {
                assert_eq!(err.exit_code(), 2, "{err}");
                err.to_string()
            }
        }
    }

    #[test]
    fn the_command_line_is_well_formed() {
        Args::command().debug_assert();
    }

    #[test]
    fn defaults() {
        let s = parse_ok(&["--", "curl", "-f", "url"]);
        assert_eq!(s.attempts, Some(5));
        assert_eq!(s.delay, Duration::from_millis(100));
        assert_eq!(s.max_delay, Duration::from_secs(30));
        assert_eq!(s.backoff, Backoff::Exponential);
        assert_eq!(s.factor, 2.0);
        assert_eq!(s.jitter, JitterKind::Full);
        assert_eq!((s.timeout, s.attempt_timeout), (None, None));
        assert_eq!(s.codes, RetryCodes::default());
        assert!(!s.quiet);
        assert_eq!(s.program, "curl");
        assert_eq!(s.args, ["-f", "url"]);
    }

    #[test]
    fn every_flag() {
        let argv = "-n 3 -d 1ms --max-delay 2s -b exponential --factor 1.5 -j equal -t 1m \
                    --attempt-timeout 5s --retry-on 1-3 --stop-on 4 -q -- prog";
        let s = parse_ok(&argv.split_whitespace().collect::<Vec<_>>());
        assert_eq!(s.attempts, Some(3));
        assert_eq!(s.delay, Duration::from_millis(1));
        assert_eq!(s.max_delay, Duration::from_secs(2));
        assert_eq!(s.factor, 1.5);
        assert_eq!(s.jitter, JitterKind::Equal);
        assert_eq!(s.timeout, Some(Duration::from_secs(60)));
        assert_eq!(s.attempt_timeout, Some(Duration::from_secs(5)));
        assert!(s.codes.retries(2) && !s.codes.retries(4) && !s.codes.retries(5));
        assert!(s.quiet);
    }

    #[test]
    fn program_arguments_are_not_options() {
        let s = parse_ok(&["-n", "2", "ls", "-n", "--forever"]);
        assert_eq!(s.attempts, Some(2));
        assert_eq!(s.program, "ls");
        assert_eq!(s.args, ["-n", "--forever"]);
    }

    #[test]
    fn forever_has_no_limit() {
        assert_eq!(parse_ok(&["--forever", "true"]).attempts, None);
        let message = parse_err(&["--forever", "-n", "3", "true"]);
        assert!(
            message.contains("--forever") && message.contains("--attempts"),
            "{message}"
        );
    }

    #[test]
    fn zero_attempts_is_refused() {
        assert!(parse_err(&["-n", "0", "true"]).contains("--attempts"));
        assert!(parse_err(&["-n", "-1", "true"]).contains("--attempts"));
        assert!(parse_err(&["--attempts", "many", "true"]).contains("--attempts"));
    }

    #[test]
    fn durations_are_checked() {
        let bare = parse_err(&["-d", "5", "true"]);
        assert!(
            bare.contains("--delay") && bare.contains("ms, s, m, h"),
            "{bare}"
        );
        assert!(parse_err(&["--max-delay", "0s", "true"]).contains("--max-delay"));
        assert!(parse_err(&["-t", "0ms", "true"]).contains("--timeout"));
        assert!(parse_err(&["--attempt-timeout", "0s", "true"]).contains("--attempt-timeout"));
        assert!(parse_err(&["--timeout", "soon", "true"]).contains("--timeout"));
        assert_eq!(parse_ok(&["-d", "0s", "true"]).delay, Duration::ZERO);
    }

    #[test]
    fn delay_must_fit_under_max_delay() {
        let message = parse_err(&["-d", "2s", "--max-delay", "1s", "true"]);
        assert!(
            message.contains("--delay 2s") && message.contains("--max-delay 1s"),
            "{message}"
        );
        assert!(parse_err(&["-d", "1m", "--max-delay", "30s", "true"]).contains("--max-delay 30s"));
        parse_ok(&["-d", "1s", "--max-delay", "1s", "true"]);
    }

    #[test]
    fn the_default_cap_rises_to_the_delay() {
        let s = parse_ok(&["-d", "1m", "true"]);
        assert_eq!(
            (s.delay, s.max_delay),
            (Duration::from_secs(60), Duration::from_secs(60))
        );
        let s = parse_ok(&["-d", "1s", "true"]);
        assert_eq!(s.max_delay, Duration::from_secs(30));
        let s = parse_ok(&["-d", "1s", "--max-delay", "2s", "true"]);
        assert_eq!(s.max_delay, Duration::from_secs(2));
    }

    #[test]
    fn negative_durations_name_their_flag() {
        for flag in ["-d", "--max-delay", "-t", "--attempt-timeout"] {
            let message = parse_err(&[flag, "-1s", "true"]);
            assert!(message.contains("`-1s` is negative"), "{message}");
            assert!(!message.contains("-- -1"), "{message}");
        }
        assert!(parse_err(&["--delay", "-1s", "true"]).contains("--delay"));
        assert!(parse_err(&["--timeout", "-5m", "true"]).contains("--timeout"));
    }

    #[test]
    fn durations_with_units_out_of_order_are_refused() {
        for (text, flag) in [
            ("1s1s", "--delay"),
            ("1ms1s", "--timeout"),
            ("0.1ns", "--max-delay"),
        ] {
            let message = parse_err(&[flag, text, "true"]);
            assert!(
                message.contains(flag) && message.contains(text),
                "{message}"
            );
        }
    }

    #[test]
    fn factor_is_checked() {
        assert!(parse_err(&["--factor", "0.5", "true"]).contains("--factor"));
        assert!(parse_err(&["--factor", "-2", "true"]).contains("--factor"));
        assert!(parse_err(&["--factor", "NaN", "true"]).contains("--factor"));
        assert!(parse_err(&["--factor", "inf", "true"]).contains("--factor"));
        assert!(parse_err(&["--factor", "two", "true"]).contains("--factor"));
        let message = parse_err(&["-b", "linear", "--factor", "3", "true"]);
        assert!(
            message.contains("--factor") && message.contains("linear"),
            "{message}"
        );
        assert_eq!(parse_ok(&["--factor", "1", "true"]).factor, 1.0);
        assert_eq!(parse_ok(&["-b", "linear", "true"]).factor, 2.0);
    }

    #[test]
    fn backoff_and_jitter_are_named() {
        assert_eq!(
            parse_ok(&["-b", "fibonacci", "true"]).backoff,
            Backoff::Fibonacci
        );
        assert_eq!(parse_ok(&["-j", "none", "true"]).jitter, JitterKind::None);
        assert!(parse_err(&["-b", "quadratic", "true"]).contains("--backoff"));
        assert!(parse_err(&["-j", "some", "true"]).contains("--jitter"));
    }

    #[test]
    fn code_lists_are_checked() {
        assert!(parse_err(&["--retry-on", "0", "true"]).contains("--retry-on"));
        assert!(parse_err(&["--stop-on", "256", "true"]).contains("--stop-on"));
        assert!(parse_err(&["--retry-on", "9-3", "true"]).contains("--retry-on"));
        assert!(parse_err(&["--retry-on", "-1", "true"]).contains("--retry-on"));
        let message = parse_err(&["--retry-on", ",", "true"]);
        assert!(
            message.contains("--retry-on") && message.contains("empty item"),
            "{message}"
        );
        let message = parse_err(&["--retry-on", "1-5", "--stop-on", "5,9", "true"]);
        assert!(
            message.contains("--retry-on and --stop-on both list 5"),
            "{message}"
        );
    }

    #[test]
    fn a_program_is_required() {
        assert!(parse_err(&["-n", "3"]).contains("<PROGRAM>"));
        assert!(parse_err(&["-n", "3", "--"]).contains("<PROGRAM>"));
    }
}
