//! `modelrouter-bench`: what terraform-provider-modelrouter costs on top of Terraform itself, measured side by
//! side in one run against the ARM emulator (see docs/performance.md; run it with scripts/bench.sh).
//!
//! (a) plugin start, (b) apply/plan of N routers against N `terraform_data`, (c) the provider's peak RSS,
//! (d) ARM requests per resource and lifecycle step, (e) a write-contended account with slow operations, (f) Azure's
//! template validation at plan: calls per plan and the plan time it adds at a fixed request latency.

mod config;
mod contention;
mod emulator;
mod error;
mod handshake;
mod machine;
mod report;
mod requests;
mod rss;
mod scale;
mod stats;
mod terraform;
mod validation;

use std::path::PathBuf;
use std::process::ExitCode;

use error::BenchError;
use report::{Report, StartRow};

const USAGE: &str = "\
usage: modelrouter-bench --provider PATH [options]

  --provider PATH        the terraform-provider-modelrouter binary to measure (a release build)
  --aws PATH             also time the start of this hashicorp/aws provider binary (reference)
  --sizes 1,50,500       resource counts for (b)/(c)
  --repetitions 7,5,3    apply+plan pairs per size (medians)
  --accounts 5           accounts the resources of (b)/(d) are spread over
  --start-runs 20        plugin starts per variant for (a)
  --request-resources 10 routers for (d)
  --contention 20        routers in one account for (e)
  --operation-ms 1000    how long each emulated operation takes in (e)
  --validation-sizes 1,10,50  creates per plan for (f)
  --latency-ms 50        latency of every ARM request in (f)
  --only a,b,d,e,f       run only these parts ((c) comes with (b))
  --out DIR              also write DIR/bench.md and DIR/bench.json
";

struct Args {
    provider: PathBuf,
    aws: Option<PathBuf>,
    sizes: Vec<usize>,
    repetitions: Vec<usize>,
    accounts: usize,
    start_runs: usize,
    request_resources: usize,
    contention: usize,
    operation_ms: u64,
    validation_sizes: Vec<usize>,
    latency_ms: u64,
    only: String,
    out: Option<PathBuf>,
}

fn list(value: &str) -> Result<Vec<usize>, BenchError> {
    value.split(',').map(|v| v.trim().parse().map_err(|_| BenchError::Usage(format!("not a number: {v:?}")))).collect()
}

fn number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, BenchError> {
    value.parse().map_err(|_| BenchError::Usage(format!("{flag}: not a number: {value:?}")))
}

impl Args {
    fn parse(mut raw: impl Iterator<Item = String>) -> Result<Args, BenchError> {
        let mut args = Args {
            provider: PathBuf::new(),
            aws: None,
            sizes: vec![1, 50, 500],
            repetitions: vec![7, 5, 3],
            accounts: 5,
            start_runs: 20,
            request_resources: 10,
            contention: 20,
            operation_ms: 1000,
            validation_sizes: vec![1, 10, 50],
            latency_ms: 50,
            only: "a,b,d,e,f".into(),
            out: None,
        };
        while let Some(flag) = raw.next() {
            if flag == "--help" || flag == "-h" {
                return Err(BenchError::Usage(String::new()));
            }
            let value = raw.next().ok_or_else(|| BenchError::Usage(format!("{flag} needs a value")))?;
            match flag.as_str() {
                "--provider" => args.provider = value.into(),
                "--aws" => args.aws = Some(value.into()).filter(|p: &PathBuf| !p.as_os_str().is_empty()),
                "--sizes" => args.sizes = list(&value)?,
                "--repetitions" => args.repetitions = list(&value)?,
                "--accounts" => args.accounts = number(&flag, &value)?,
                "--start-runs" => args.start_runs = number(&flag, &value)?,
                "--request-resources" => args.request_resources = number(&flag, &value)?,
                "--contention" => args.contention = number(&flag, &value)?,
                "--operation-ms" => args.operation_ms = number(&flag, &value)?,
                "--validation-sizes" => args.validation_sizes = list(&value)?,
                "--latency-ms" => args.latency_ms = number(&flag, &value)?,
                "--only" => args.only = value,
                "--out" => args.out = Some(value.into()),
                other => return Err(BenchError::Usage(format!("unknown flag {other}"))),
            }
        }
        if args.provider.as_os_str().is_empty() {
            return Err(BenchError::Usage("--provider is required".into()));
        }
        if args.accounts == 0 {
            return Err(BenchError::Usage("--accounts must be at least 1".into()));
        }
        Ok(args)
    }

    fn runs(&self, part: &str) -> bool {
        self.only.split(',').any(|p| p.trim() == part)
    }

    /// Repetitions for the i-th size: the matching entry, else the last one given.
    fn repetitions_for(&self, index: usize) -> usize {
        self.repetitions.get(index).or(self.repetitions.last()).copied().unwrap_or(3).max(1)
    }
}

fn main() -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(BenchError::Usage(message)) => {
            if !message.is_empty() {
                eprintln!("error: {message}");
            }
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), BenchError> {
    for binary in std::iter::once(&args.provider).chain(args.aws.iter()) {
        if !binary.is_file() {
            return Err(BenchError::MissingBinary(binary.clone()));
        }
    }
    let provider = std::fs::canonicalize(&args.provider).map_err(BenchError::io("resolve --provider"))?;
    let mut report = Report {
        machine: machine::Machine::describe(),
        command: std::iter::once("scripts/bench.sh".to_owned())
            .chain(std::env::args().skip(1))
            .collect::<Vec<_>>()
            .join(" "),
        plugin_start: Vec::new(),
        scale: Vec::new(),
        requests: Vec::new(),
        contention: None,
        validation: Vec::new(),
    };

    if args.runs("a") {
        eprintln!("(a) plugin start, {} runs per variant", args.start_runs);
        let cert = handshake::terraform_style_client_cert()?;
        let mut subjects = vec![("modelrouter".to_owned(), provider.clone())];
        if let Some(aws) = &args.aws {
            subjects.push(("hashicorp/aws".to_owned(), aws.clone()));
        }
        for (name, binary) in subjects {
            for client_cert in [None, Some(cert.as_str())] {
                let times = handshake::measure(&binary, client_cert, args.start_runs)?;
                eprintln!("  {name} client cert {}: median {:.2} ms", client_cert.is_some(), times.median_ms);
                report.plugin_start.push(StartRow { provider: name.clone(), times });
            }
        }
    }

    let needs_mirror = args.runs("b") || args.runs("d") || args.runs("e") || args.runs("f");
    let mirror = if needs_mirror {
        Some(
            terraform::Mirror::new(&provider, env!("CARGO_PKG_VERSION"))
                .map_err(BenchError::io("create the provider mirror"))?,
        )
    } else {
        None
    };
    let accounts = config::account_ids(args.accounts);

    if let Some(mirror) = &mirror {
        if args.runs("b") || args.runs("d") {
            let emulator = emulator::BenchEmulator::start(&accounts, 0)?;
            if args.runs("d") {
                eprintln!("(d) ARM requests per resource, {} routers", args.request_resources);
                report.requests = requests::measure(mirror, &emulator, &accounts, args.request_resources)?;
            }
            if args.runs("b") {
                for (index, &size) in args.sizes.iter().enumerate() {
                    let repetitions = args.repetitions_for(index);
                    eprintln!("(b)/(c) N = {size}, {repetitions} repetitions");
                    report.scale.push(scale::measure(mirror, &emulator, &accounts, size, repetitions)?);
                }
            }
        }
        if args.runs("e") {
            eprintln!("(e) {} routers in one account, {} ms per operation", args.contention, args.operation_ms);
            report.contention = Some(contention::measure(mirror, args.contention, args.operation_ms)?);
        }
        if args.runs("f") {
            for (index, &size) in args.validation_sizes.iter().enumerate() {
                let repetitions = args.repetitions_for(index);
                eprintln!(
                    "(f) Azure validation, N = {size}, {} ms per request, {repetitions} repetitions",
                    args.latency_ms
                );
                report.validation.push(validation::measure(mirror, &accounts, size, repetitions, args.latency_ms)?);
            }
        }
    }

    report.machine.load_end = machine::load_average();
    let markdown = report.markdown();
    println!("{markdown}");
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).map_err(BenchError::io(format!("create {}", dir.display())))?;
        std::fs::write(dir.join("bench.md"), &markdown).map_err(BenchError::io("write bench.md"))?;
        let json = serde_json::to_string_pretty(&report)?;
        std::fs::write(dir.join("bench.json"), json).map_err(BenchError::io("write bench.json"))?;
        eprintln!("wrote {}/bench.md and bench.json", dir.display());
    }
    Ok(())
}
