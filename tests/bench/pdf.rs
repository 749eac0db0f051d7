//! How long the server takes to render an invoice PDF: the layout and the PDF writing of
//! `domain::documents::invoice_pdf`, in this process, for invoices of 3, 20 and 200 lines
//! (the most an invoice holds), with the fonts already parsed as in a running server.
use std::time::Instant;

use chrono::NaiveDate;
use portico::{
    domain::{
        documents::{Addressee, InvoiceDocument, Letterhead, Line, invoice_pdf},
        money::Numbers,
    },
    services::pdf::{self, Color, Paper},
};

fn document(lines: usize, numbers: &Numbers) -> InvoiceDocument<'_> {
    let descriptions = [
        "Design work",
        "Development of the checkout flow, including the payment provider's redirect and webhooks",
        "Project management and weekly status calls",
    ];
    InvoiceDocument {
        letterhead: Letterhead {
            agency_name: "Studio Nord",
            agency_address: "Hafenstraße 1\n20457 Hamburg\nVAT DE123456789",
            primary: Color::hex("#1f4e79"),
            paper: Paper::A4,
            logo: None,
        },
        client: Addressee {
            name: "Müller & Söhne GmbH",
            address: Some("Königsallee 12\n40212 Düsseldorf"),
            tax_id: Some("DE811907980"),
        },
        number: "INV-2026-0042",
        issue_date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        due_date: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        currency: "EUR",
        lines: (0..lines)
            .map(|i| Line {
                description: descriptions[i % descriptions.len()],
                quantity_milli: 7_500,
                unit_price_cents: 9_500,
                amount_cents: 71_250,
            })
            .collect(),
        tax_rate_bp: 1900,
        subtotal_cents: 71_250 * lines as i64,
        tax_cents: 13_538 * lines as i64,
        total_cents: 84_788 * lines as i64,
        paid_cents: 0,
        payment_instructions: "Transfer to IBAN DE02 1203 0000 0000 2020 51, quoting the invoice number.",
        mark: None,
        numbers,
        language: portico::i18n::Language::En,
    }
}

pub struct Figures {
    pub lines: usize,
    pub runs: usize,
    pub bytes: usize,
    pub median_ms: f64,
    pub p95_ms: f64,
    pub max_ms: f64,
}

/// Renders each size `runs` times (after a warm-up) and reports the times.
pub fn measure(runs: usize) -> Result<Vec<Figures>, String> {
    pdf::warm_up();
    [3, 20, 200]
        .into_iter()
        .map(|lines| {
            let bytes = invoice_pdf(&document(lines, &Numbers::new("de-DE")))?.len();
            let mut times: Vec<f64> = (0..runs.max(1))
                .map(|_| {
                    let start = Instant::now();
                    // A German client's numbers, made per render as the server does.
                    let numbers = Numbers::new("de-DE");
                    invoice_pdf(&document(lines, &numbers)).map(|_| start.elapsed().as_secs_f64() * 1000.0)
                })
                .collect::<Result<_, _>>()?;
            times.sort_by(f64::total_cmp);
            let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
            Ok(Figures { lines, runs: times.len(), bytes, median_ms: at(0.5), p95_ms: at(0.95), max_ms: at(1.0) })
        })
        .collect()
}

pub fn report(figures: &[Figures]) -> String {
    let mut out = String::from("| invoice | runs | PDF size | median | p95 | max |\n|---|---:|---:|---:|---:|---:|\n");
    for f in figures {
        out.push_str(&format!(
            "| {} lines | {} | {:.1} KiB | {:.2} ms | {:.2} ms | {:.2} ms |\n",
            f.lines,
            f.runs,
            f.bytes as f64 / 1024.0,
            f.median_ms,
            f.p95_ms,
            f.max_ms
        ));
    }
    out
}
