//! The run's report: one Markdown table, ratios computed within the run, targets checked.
use std::fmt::Write;

use crate::{DatasetInfo, Pace, load::Outcome};

#[derive(PartialEq)]
enum Kind {
    Http,
    Ceiling,
    Live,
}

pub struct Line {
    name: String,
    kind: Kind,
    out: Outcome,
    /// Line / ceiling per alternating round, when measured so.
    rounds: Vec<f64>,
}

impl Line {
    pub fn http(name: &str, out: Outcome) -> Line {
        Line { name: name.into(), kind: Kind::Http, out, rounds: Vec::new() }
    }
    pub fn with_rounds(self, rounds: Vec<f64>) -> Line {
        Line { rounds, ..self }
    }
    pub fn ceiling(name: &str, out: Outcome) -> Line {
        Line { name: name.into(), kind: Kind::Ceiling, out, rounds: Vec::new() }
    }
    pub fn live(name: &str, out: Outcome) -> Line {
        Line { name: name.into(), kind: Kind::Live, out, rounds: Vec::new() }
    }
    fn ms(&self, q: f64) -> f64 {
        self.out.hist.value_at_quantile(q) as f64 / 1000.0
    }
    /// "E1 ongoing tasks" → "E1", "Whale E2 task…" → "Whale E2".
    fn key(&self) -> String {
        let mut words = self.name.split_whitespace();
        match words.next() {
            Some("Whale") => format!("Whale {}", words.next().unwrap_or("")),
            Some(w) => w.to_owned(),
            None => String::new(),
        }
    }
}

pub struct Report {
    header: String,
    lines: Vec<Line>,
    pub peak_kib: u64,
    pg: bool,
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("model name").map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned()))
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix("MemTotal:").and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            })
        })
        .map(|kib| format!("{:.0} GiB", kib as f64 / 1_048_576.0))
        .unwrap_or_default();
    format!("{cores} × {cpu}, {mem}")
}

fn commit() -> String {
    let out = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let hash = out(&["rev-parse", "--short", "HEAD"]).filter(|h| !h.is_empty()).unwrap_or_else(|| "unknown".into());
    let dirty = out(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    if dirty { format!("{hash} (with uncommitted changes)") } else { hash }
}

impl Report {
    pub fn new(
        info: &DatasetInfo,
        pg: bool,
        url: &str,
        pace: &Pace,
        pool: u32,
        rounds: u32,
        statements: bool,
    ) -> Report {
        let p = info.profile;
        let mut h = String::new();
        let _ = writeln!(h, "- Machine: {}", machine());
        let _ = writeln!(h, "- Commit: {}", commit());
        let _ = writeln!(h, "- Database: {} ({})", if pg { "PostgreSQL" } else { "SQLite" }, crate::redact(url));
        let _ = writeln!(
            h,
            "- Dataset `{}` (seed {}): {} clients × 3 client users, {} staff, {} projects, {} tasks (client 0, the whale, holds {}), \
             {} comments of which {} Notes, {} invoices; {} rows loaded in {:.0} s",
            p.name,
            info.seed,
            p.clients,
            p.staff,
            p.projects,
            p.tasks,
            p.tasks_of(crate::dataset::WHALE),
            info.comments,
            info.notes,
            p.invoices,
            info.rows,
            info.load_secs
        );
        let database = if pg {
            format!(
                "server pool {pool}, pgbench `--client={pool} --jobs=2 --protocol=prepared`, each line alternating with its ceiling in {rounds} rounds"
            )
        } else {
            "the embedded mode's one SQLite connection, no ceiling".to_owned()
        };
        let _ = writeln!(
            h,
            "- Load: {} in flight, {} s measured after {} s warm-up per line, a different client's token on each request; \
             {database}; SQL counts {}",
            pace.concurrency,
            pace.duration.as_secs(),
            pace.warmup.as_secs(),
            if statements {
                "from pg_stat_statements"
            } else {
                "not available (pg_stat_statements not loaded, or SQLite)"
            }
        );
        Report { header: h, lines: Vec::new(), peak_kib: 0, pg }
    }

    pub fn add(&mut self, line: Line) {
        let o = &line.out;
        eprintln!(
            "  {:<28} {:>9.0}/s p50 {:>7.2} ms p99 {:>7.2} ms non-2xx {} errors {} leaks {}{}",
            line.name,
            o.rate,
            line.ms(0.5),
            line.ms(0.99),
            o.non_2xx,
            o.errors,
            o.leaks.len(),
            o.statements.map(|s| format!(" SQL/req {s:.2}")).unwrap_or_default()
        );
        for l in &o.leaks {
            eprintln!("    LEAK {l}");
        }
        self.lines.push(line);
    }

    fn rate_of(&self, key: &str, kind: Kind) -> Option<f64> {
        self.lines.iter().find(|l| l.kind == kind && l.key() == key).map(|l| l.out.rate)
    }

    /// Line / ceiling: the median of the alternating rounds' ratios, or (one round each) the
    /// ratio of the two rates.
    fn vs_ceiling(&self, l: &Line) -> Option<f64> {
        if !l.rounds.is_empty() {
            return Some(median(&l.rounds));
        }
        self.rate_of(&l.key(), Kind::Ceiling).map(|c| l.out.rate / c)
    }

    pub fn clean(&self) -> bool {
        self.lines.iter().all(|l| l.out.non_2xx == 0 && l.out.errors == 0 && l.out.leaks.is_empty())
    }

    pub fn markdown(&self) -> String {
        let mut s = self.header.clone();
        let e0 = self.rate_of("E0", Kind::Http);
        s.push_str("\n| Line | req/s | p50 ms | p99 ms | non-2xx | RSS steady / max MiB | SQL per request | × ceiling | × E0 |\n");
        s.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for l in &self.lines {
            let o = &l.out;
            let rate = if l.kind == Kind::Live { "—".to_owned() } else { format!("{:.0}", o.rate) };
            let rss = o
                .rss
                .map(|(m, x)| format!("{:.1} / {:.1}", m as f64 / 1024.0, x as f64 / 1024.0))
                .unwrap_or_else(|| "—".into());
            let sql = o.statements.map(|v| format!("{v:.2}")).unwrap_or_else(|| "—".into());
            let (vs_ceiling, vs_e0) = match l.kind {
                Kind::Http => (
                    self.vs_ceiling(l).map(|r| format!("{r:.2}")).unwrap_or_else(|| "—".into()),
                    e0.filter(|_| l.key() != "E0").map(|e| format!("{:.2}", o.rate / e)).unwrap_or_else(|| "—".into()),
                ),
                _ => ("—".into(), "—".into()),
            };
            let failures = o.non_2xx + o.errors + o.leaks.len() as u64;
            let _ = writeln!(
                s,
                "| {} | {rate} | {:.2} | {:.2} | {failures} | {rss} | {sql} | {vs_ceiling} | {vs_e0} |",
                l.name,
                l.ms(0.5),
                l.ms(0.99)
            );
        }
        let rounds: Vec<_> = self.lines.iter().filter(|l| l.rounds.len() > 1).collect();
        if !rounds.is_empty() {
            s.push_str("\n× ceiling is the median over rounds in which the line and its ceiling alternated; each round's ratio:\n");
            for l in rounds {
                let each: Vec<_> = l.rounds.iter().map(|r| format!("{r:.2}")).collect();
                let _ = writeln!(s, "- {}: {}", l.key(), each.join(", "));
            }
        }
        let _ = writeln!(s, "\nServer peak RSS (VmHWM) over the whole run: {:.1} MiB.", self.peak_kib as f64 / 1024.0);
        s.push_str("\nTargets:\n");
        let mut check = |ok: bool, what: String| {
            let _ = writeln!(s, "- {} {what}", if ok { "met:" } else { "**missed**:" });
        };
        if self.pg {
            for key in ["E1", "E2", "E3"] {
                if let Some(ratio) =
                    self.lines.iter().find(|l| l.kind == Kind::Http && l.key() == key).and_then(|l| self.vs_ceiling(l))
                {
                    check(ratio >= 0.9, format!("{key} at least 0.9× the database ceiling ({ratio:.2}×)"));
                }
            }
        }
        let reads = self.lines.iter().filter(|l| {
            l.kind == Kind::Http && ["E1", "E2", "E3", "Whale E1", "Whale E2", "Whale E3"].contains(&l.key().as_str())
        });
        if let Some(worst) = reads.filter_map(|l| l.out.statements).reduce(f64::max) {
            // Compared as reported: the requests in flight when counting starts (at most the
            // concurrency, against tens of thousands counted) shift the ratio in its third decimal.
            check(
                (worst * 100.0).round() <= 200.0,
                format!("at most 2 SQL statements per read request (worst {worst:.2})"),
            );
        }
        if let Some((_, max)) = self.lines.iter().find(|l| l.key() == "Mix").and_then(|l| l.out.rss) {
            check(max <= 64 * 1024, format!("RSS at most 64 MiB under the mix ({:.1} MiB)", max as f64 / 1024.0));
        }
        check(self.clean(), "0 non-2xx, 0 errors, nothing of another client".into());
        if let Some(l) = self.lines.iter().find(|l| l.kind == Kind::Live) {
            check(l.ms(0.99) <= 20.0, format!("E5 p99 at most 20 ms ({:.2} ms)", l.ms(0.99)));
        }
        s
    }
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len().is_multiple_of(2) { (v[mid - 1] + v[mid]) / 2.0 } else { v[mid] }
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&[0.5, 0.25, 0.75, 1.0]), 0.625);
        assert_eq!(median(&[0.25, 1.0, 0.5]), 0.5);
        assert_eq!(median(&[0.6]), 0.6);
    }
}
