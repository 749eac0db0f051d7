//! What an invoice PDF says and where: the agency's block and the client's, the dates, the
//! lines, the totals, how to pay, and a PAID or VOID mark when one applies. Pure: the caller
//! loads the rows (through the caller's scope) and hands them here.
use chrono::NaiveDate;

use super::{
    money::{Money, Numbers},
    statements::StatementResponse,
};
use crate::{
    i18n::{self, Language},
    services::pdf::{Align, Color, Layout, Paper, Picture, Style, table_header},
    t,
};

/// The agency as its documents show it.
pub struct Letterhead<'a> {
    pub agency_name: &'a str,
    pub agency_address: &'a str,
    pub primary: Color,
    pub paper: Paper,
    pub logo: Option<Picture>,
}

/// Who a document is addressed to.
pub struct Addressee<'a> {
    pub name: &'a str,
    pub address: Option<&'a str>,
    pub tax_id: Option<&'a str>,
}

pub struct Line<'a> {
    pub description: &'a str,
    pub quantity_milli: i64,
    pub unit_price_cents: i64,
    pub amount_cents: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Paid,
    Void,
    /// Staff's preview of an invoice not yet sent.
    Draft,
}

impl Mark {
    fn word(self, language: Language) -> String {
        match self {
            Mark::Paid => t!(language, "doc-mark-paid"),
            Mark::Void => t!(language, "doc-mark-void"),
            Mark::Draft => t!(language, "doc-mark-draft"),
        }
    }

    fn color(self) -> Color {
        match self {
            Mark::Paid => Color(0x1e, 0x7d, 0x32),
            Mark::Void => Color(0xb0, 0x1c, 0x1c),
            Mark::Draft => Color(0x5b, 0x64, 0x70),
        }
    }
}

pub struct InvoiceDocument<'a> {
    pub letterhead: Letterhead<'a>,
    pub client: Addressee<'a>,
    pub number: &'a str,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub currency: &'a str,
    pub lines: Vec<Line<'a>>,
    pub tax_rate_bp: i32,
    pub subtotal_cents: i64,
    pub tax_cents: i64,
    pub total_cents: i64,
    pub paid_cents: i64,
    pub payment_instructions: &'a str,
    pub mark: Option<Mark>,
    /// The reader's way with numbers (the client's locale, or the agency's).
    pub numbers: &'a Numbers,
    /// The language its words are in (the client's locale's, or the agency's).
    pub language: Language,
}

pub fn date(language: Language, d: NaiveDate) -> String {
    language.long_date(d)
}

/// `7.5`, `1`, `0.125` (`7,5` in German): thousandths without trailing zeros.
pub fn quantity(numbers: &Numbers, milli: i64) -> String {
    numbers.trimmed(milli, 3)
}

/// `20 %`, `7.5 %` (`7,5 %` in German): a rate in basis points.
pub fn rate(numbers: &Numbers, bp: i32) -> String {
    format!("{} %", numbers.trimmed(i64::from(bp), 2))
}

/// An address block prints at most this many lines (it is an address, not a letter).
const MAX_ADDRESS_LINES: usize = 8;

const LABEL: Style = Style::new(7.5).bold().color(Color(0x5b, 0x64, 0x70));
const BODY: Style = Style::new(9.5);

/// The letterhead: the agency's name in its colour and its address on the left, the
/// document's title and number on the right. Leaves the cursor below both.
fn letterhead(layout: &mut Layout, head: &Letterhead, title: &str, subtitle: &str) {
    let top = layout.y;
    let half = (layout.right() - layout.left()) / 2.0;
    let mut y = top;
    // With a logo, the name stands smaller beneath it (still text, for readers and search).
    let name = if let Some(logo) = &head.logo {
        let h = (half / logo.aspect()).min(44.0);
        layout.picture(layout.left(), top, h * logo.aspect(), h, logo);
        y += h + 4.0;
        Style::new(11.0).bold().color(head.primary)
    } else {
        Style::new(16.0).bold().color(head.primary)
    };
    for line in Layout::wrap(head.agency_name, half, name) {
        y += name.leading();
        layout.text(layout.left(), y - 4.0, Align::Left, name, &line);
    }
    let small = Style::new(8.5).muted();
    for line in Layout::wrap(head.agency_address, half, small).into_iter().take(MAX_ADDRESS_LINES) {
        y += small.leading();
        layout.text(layout.left(), y, Align::Left, small, &line);
    }
    let big = Style::new(22.0).bold();
    layout.text(layout.right(), top + 20.0, Align::Right, big, title);
    layout.text(layout.right(), top + 36.0, Align::Right, Style::new(10.0).muted(), subtitle);
    layout.y = y.max(top + 40.0) + 14.0;
    layout.rect(layout.left(), layout.y, layout.right() - layout.left(), 2.0, head.primary);
    layout.y += 22.0;
}

/// The addressee on the left and `facts` (label, value) on the right, from the cursor down.
fn addressee_and_facts(layout: &mut Layout, language: Language, to: &Addressee, facts: &[(String, String, bool)]) {
    let top = layout.y;
    let half = (layout.right() - layout.left()) / 2.0 - 10.0;
    layout.text(layout.left(), top + 8.0, Align::Left, LABEL, &t!(language, "doc-bill-to"));
    let mut y = top + 12.0;
    let name = Style::new(11.0).bold();
    for line in Layout::wrap(to.name, half, name) {
        y += name.leading();
        layout.text(layout.left(), y, Align::Left, name, &line);
    }
    for line in to.address.map(|a| Layout::wrap(a, half, BODY)).unwrap_or_default().into_iter().take(MAX_ADDRESS_LINES)
    {
        y += BODY.leading();
        layout.text(layout.left(), y, Align::Left, BODY, &line);
    }
    if let Some(tax) = to.tax_id {
        y += BODY.leading();
        layout.text(layout.left(), y, Align::Left, BODY.muted(), &t!(language, "doc-tax-id", id = tax));
    }
    let mut fy = top;
    let label_x = layout.right() - 200.0;
    for (label, value, strong) in facts {
        fy += 16.0;
        layout.text(label_x, fy, Align::Left, BODY.muted(), label);
        let style = if *strong { BODY.bold() } else { BODY };
        layout.text(layout.right(), fy, Align::Right, style, value);
    }
    layout.y = y.max(fy) + 24.0;
}

/// One table row `h` high: on a new page, under the table's header again, when it would not
/// fit on this one; `draw` is given its first baseline; a rule beneath it.
fn table_row(
    layout: &mut Layout,
    (color, columns): (Color, &[(f32, Align, &str)]),
    h: f32,
    draw: impl FnOnce(&mut Layout, f32),
) {
    if !layout.fits(h) {
        layout.new_page();
        table_header(layout, color, columns);
    }
    let first = layout.y + 5.0 + BODY.size;
    draw(layout, first);
    layout.y += h;
    let (left, right) = (layout.left(), layout.right());
    layout.rule(left, right, layout.y, None);
}

/// `style`, smaller if need be (down to 6 pt) for `text` to fit in `width`: a huge amount
/// stays inside its column rather than over its neighbour.
fn fit(style: Style, text: &str, width: f32) -> Style {
    let w = Layout::width_of(text, style);
    if w <= width { style } else { Style { size: (style.size * width / w).max(6.0), ..style } }
}

/// The invoice as a PDF.
pub fn invoice_pdf(doc: &InvoiceDocument) -> Result<Vec<u8>, String> {
    let head = &doc.letterhead;
    let mut layout = Layout::new(head.paper);
    let money = |minor: i64| doc.numbers.money(Money::new(minor, doc.currency));
    // A void invoice asks for nothing.
    let balance = if doc.mark == Some(Mark::Void) { 0 } else { doc.total_cents - doc.paid_cents };
    let l = doc.language;
    let say = |id: &str| i18n::say(l, id, &[]);
    letterhead(&mut layout, head, &say("doc-invoice"), doc.number);
    let mut facts = vec![
        (say("doc-invoice-number"), doc.number.to_owned(), false),
        (say("doc-issue-date"), date(l, doc.issue_date), false),
        (say("doc-due-date"), date(l, doc.due_date), false),
        (say("doc-balance-due"), money(balance), true),
    ];
    // The stamp is a picture to a reader; the status also stands as plain text.
    if let Some(mark) = doc.mark {
        facts.push((say("doc-status"), mark.word(l), true));
    }
    addressee_and_facts(&mut layout, l, &doc.client, &facts);

    let (left, right) = (layout.left(), layout.right());
    let (qty_x, unit_x) = (right - 190.0, right - 95.0);
    let desc_width = qty_x - 60.0 - (left + 8.0);
    let heads = [say("doc-col-description"), say("doc-col-qty"), say("doc-col-unit-price"), say("doc-col-amount")];
    let columns = [
        (left + 8.0, Align::Left, heads[0].as_str()),
        (qty_x, Align::Right, heads[1].as_str()),
        (unit_x, Align::Right, heads[2].as_str()),
        (right - 8.0, Align::Right, heads[3].as_str()),
    ];
    table_header(&mut layout, head.primary, &columns);
    for line in &doc.lines {
        let wrapped = Layout::wrap(line.description, desc_width, BODY);
        let h = wrapped.len().max(1) as f32 * BODY.leading() + 10.0;
        table_row(&mut layout, (head.primary, &columns), h, |layout, first| {
            for (i, text) in wrapped.iter().enumerate() {
                layout.text(left + 8.0, first + i as f32 * BODY.leading(), Align::Left, BODY, text);
            }
            let (qty, unit, amount) =
                (quantity(doc.numbers, line.quantity_milli), money(line.unit_price_cents), money(line.amount_cents));
            layout.text(qty_x, first, Align::Right, fit(BODY, &qty, 60.0), &qty);
            layout.text(unit_x, first, Align::Right, fit(BODY, &unit, unit_x - qty_x - 8.0), &unit);
            layout.text(right - 8.0, first, Align::Right, fit(BODY, &amount, right - 8.0 - unit_x - 8.0), &amount);
        });
    }

    let balance_due = say("doc-balance-due");
    let rows: Vec<(String, String, bool)> = [
        Some((say("doc-subtotal"), money(doc.subtotal_cents), false)),
        (doc.tax_rate_bp != 0 || doc.tax_cents != 0)
            .then(|| (t!(l, "doc-tax", rate = rate(doc.numbers, doc.tax_rate_bp)), money(doc.tax_cents), false)),
        Some((say("doc-total"), money(doc.total_cents), true)),
        (doc.paid_cents != 0).then(|| (say("doc-amount-paid"), money(-doc.paid_cents), false)),
        Some((balance_due.clone(), money(balance), true)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let block = rows.len() as f32 * 18.0 + 16.0;
    if !layout.fits(block) {
        layout.new_page();
    }
    layout.y += 10.0;
    let label_x = right - 200.0;
    for (label, value, strong) in &rows {
        layout.y += 18.0;
        let style = if *strong { Style::new(10.5).bold() } else { BODY };
        layout.text(label_x, layout.y, Align::Left, style, label);
        let value_style = if *label == balance_due { style.color(head.primary) } else { style };
        layout.text(right - 8.0, layout.y, Align::Right, value_style, value);
    }
    layout.y += 26.0;

    if !doc.payment_instructions.trim().is_empty() {
        if !layout.fits(40.0) {
            layout.new_page();
        }
        layout.y += 8.0;
        layout.text(left, layout.y, Align::Left, LABEL, &say("doc-payment-instructions"));
        layout.y += 4.0;
        layout.paragraph(left, right - left, BODY, doc.payment_instructions);
    }

    if let Some(mark) = doc.mark {
        layout.stamp(&mark.word(l), mark.color());
    }
    let title = t!(l, "doc-invoice-title", number = doc.number);
    let agency = head.agency_name.to_owned();
    let number = doc.number.to_owned();
    layout.finish(&title, head.agency_name, move |page, pages| {
        t!(l, "doc-invoice-footer", agency = &agency, number = &number, page = page, pages = pages)
    })
}

pub struct StatementDocument<'a> {
    pub letterhead: Letterhead<'a>,
    pub client: Addressee<'a>,
    pub statement: &'a StatementResponse,
    pub numbers: &'a Numbers,
    pub language: Language,
}

/// A statement of account as a PDF: per currency, the balance and its aging, the open
/// invoices and the payments of the period.
pub fn statement_pdf(doc: &StatementDocument) -> Result<Vec<u8>, String> {
    let head = &doc.letterhead;
    let s = doc.statement;
    let mut layout = Layout::new(head.paper);
    let l = doc.language;
    let say = |id: &str| i18n::say(l, id, &[]);
    letterhead(&mut layout, head, &say("doc-statement"), &t!(l, "doc-as-of", date = date(l, s.as_of)));
    let mut facts = vec![(say("doc-statement-date"), date(l, s.as_of), false)];
    for c in &s.currencies {
        facts.push((say("doc-balance-due"), doc.numbers.money(Money::new(c.balance_cents, &c.currency)), true));
    }
    if s.currencies.is_empty() {
        facts.push((say("doc-balance-due"), say("doc-nothing"), true));
    }
    addressee_and_facts(&mut layout, l, &doc.client, &facts);
    let (left, right) = (layout.left(), layout.right());
    for c in &s.currencies {
        let money = |minor: i64| doc.numbers.money(Money::new(minor, &c.currency));
        if !layout.fits(80.0) {
            layout.new_page();
        }
        // The aging in a row of four.
        layout.text(left, layout.y + 8.0, Align::Left, LABEL, &t!(l, "doc-aging", currency = &c.currency));
        layout.y += 14.0;
        let buckets = [
            (say("doc-aging-0-30"), c.aging.days_0_30),
            (say("doc-aging-31-60"), c.aging.days_31_60),
            (say("doc-aging-61-90"), c.aging.days_61_90),
            (say("doc-aging-over-90"), c.aging.days_over_90),
        ];
        let w = (right - left) / buckets.len() as f32;
        for (i, (label, amount)) in buckets.iter().enumerate() {
            let x = left + i as f32 * w;
            layout.rect(x + 2.0, layout.y, w - 4.0, 40.0, Color(0xf1, 0xf3, 0xf5));
            layout.text(x + 10.0, layout.y + 15.0, Align::Left, BODY.muted(), label);
            layout.text(x + 10.0, layout.y + 31.0, Align::Left, Style::new(10.5).bold(), &money(*amount));
        }
        layout.y += 56.0;

        let (issued_x, due_x, late_x, total_x) = (left + 105.0, left + 180.0, left + 285.0, right - 110.0);
        let heads = [
            say("doc-col-invoice"),
            say("doc-col-issued"),
            say("doc-col-due"),
            say("doc-col-days-late"),
            say("doc-col-total"),
            say("doc-col-balance"),
        ];
        let columns = [
            (left + 8.0, Align::Left, heads[0].as_str()),
            (issued_x, Align::Left, heads[1].as_str()),
            (due_x, Align::Left, heads[2].as_str()),
            (late_x, Align::Right, heads[3].as_str()),
            (total_x, Align::Right, heads[4].as_str()),
            (right - 8.0, Align::Right, heads[5].as_str()),
        ];
        if !layout.fits(50.0) {
            layout.new_page();
        }
        table_header(&mut layout, head.primary, &columns);
        for inv in &c.open_invoices {
            let h = BODY.leading() + 10.0;
            table_row(&mut layout, (head.primary, &columns), h, |layout, y| {
                layout.text(left + 8.0, y, Align::Left, BODY, &inv.number);
                layout.text(issued_x, y, Align::Left, BODY, &short_date(l, inv.issue_date));
                layout.text(due_x, y, Align::Left, BODY, &short_date(l, inv.due_date));
                if inv.days_overdue > 0 {
                    layout.text(late_x, y, Align::Right, BODY.bold(), &doc.numbers.trimmed(inv.days_overdue, 0));
                }
                layout.text(total_x, y, Align::Right, BODY, &money(inv.total_cents));
                layout.text(right - 8.0, y, Align::Right, BODY, &money(inv.balance_cents));
            });
        }
        if c.open_invoices.is_empty() {
            layout.y += 18.0;
            layout.text(left + 8.0, layout.y, Align::Left, BODY.muted(), &say("doc-no-open-invoices"));
        }
        layout.y += 22.0;

        if !layout.fits(50.0) {
            layout.new_page();
        }
        let period = t!(l, "doc-payments-period", from = short_date(l, s.from), to = short_date(l, s.to));
        layout.text(left, layout.y, Align::Left, LABEL, &period);
        layout.y += 6.0;
        let pay_heads = [say("doc-col-date"), say("doc-col-invoice"), say("doc-col-method"), say("doc-col-amount")];
        let pay_columns = [
            (left + 8.0, Align::Left, pay_heads[0].as_str()),
            (issued_x, Align::Left, pay_heads[1].as_str()),
            (due_x + 30.0, Align::Left, pay_heads[2].as_str()),
            (right - 8.0, Align::Right, pay_heads[3].as_str()),
        ];
        table_header(&mut layout, head.primary, &pay_columns);
        for p in &c.payments {
            let h = BODY.leading() + 10.0;
            table_row(&mut layout, (head.primary, &pay_columns), h, |layout, y| {
                layout.text(left + 8.0, y, Align::Left, BODY, &short_date(l, p.paid_on));
                layout.text(issued_x, y, Align::Left, BODY, &p.invoice_number);
                let method = method_label(l, &p.method);
                let method = if p.amount_cents < 0 && p.method != "refund" {
                    t!(l, "doc-refund", method = method)
                } else {
                    method
                };
                layout.text(due_x + 30.0, y, Align::Left, BODY, &method);
                layout.text(right - 8.0, y, Align::Right, BODY, &money(p.amount_cents));
            });
        }
        if c.payments.is_empty() {
            layout.y += 18.0;
            layout.text(left + 8.0, layout.y, Align::Left, BODY.muted(), &say("doc-no-payments"));
        }
        layout.y += 30.0;
    }
    let title = t!(l, "doc-statement-title", client = &s.client_name);
    let agency = head.agency_name.to_owned();
    let as_of = date(l, s.as_of);
    layout.finish(&title, head.agency_name, move |page, pages| {
        t!(l, "doc-statement-footer", agency = &agency, date = &as_of, page = page, pages = pages)
    })
}

/// A payment method as people write it: `bank_transfer` is "Bank transfer" ("Überweisung");
/// one Portico does not know reads as its words (`wire_abroad`: "Wire abroad").
pub fn method_label(language: Language, method: &str) -> String {
    let id = format!("doc-method-{method}");
    if i18n::has(language, &id) {
        return i18n::say(language, &id, &[]);
    }
    let spaced = method.replace('_', " ");
    let mut chars = spaced.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// `2 Dec 2026`, for table columns.
pub fn short_date(language: Language, d: NaiveDate) -> String {
    language.short_date(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payment_methods_read_as_words() {
        assert_eq!(method_label(Language::En, "bank_transfer"), "Bank transfer");
        assert_eq!(method_label(Language::De, "bank_transfer"), "Überweisung");
        assert_eq!(method_label(Language::En, "card"), "Card");
        assert_eq!(method_label(Language::Fr, "wire_abroad"), "Wire abroad");
        assert_eq!(method_label(Language::En, ""), "");
    }

    #[test]
    fn quantities_and_rates_print_without_trailing_zeros() {
        let en = Numbers::new("en");
        assert_eq!(quantity(&en, 7500), "7.5");
        assert_eq!(quantity(&en, 1000), "1");
        assert_eq!(quantity(&en, 125), "0.125");
        assert_eq!(rate(&en, 2000), "20 %");
        assert_eq!(rate(&en, 750), "7.5 %");
        assert_eq!(rate(&en, 1925), "19.25 %");
        let de = Numbers::new("de-DE");
        assert_eq!(quantity(&de, 1_500_250), "1.500,25");
        assert_eq!(rate(&de, 1925), "19,25 %");
    }

    #[test]
    fn a_two_hundred_line_invoice_renders() {
        let lines: Vec<Line> = (0..200)
            .map(|_| Line {
                description: "Design work",
                quantity_milli: 1500,
                unit_price_cents: 9000,
                amount_cents: 13500,
            })
            .collect();
        let doc = InvoiceDocument {
            letterhead: Letterhead {
                agency_name: "Acme Studio",
                agency_address: "1 Main St\nSpringfield",
                primary: Color::hex("#1f4e79"),
                paper: Paper::A4,
                logo: None,
            },
            client: Addressee { name: "Globex", address: Some("2 Side St"), tax_id: Some("DE123") },
            number: "INV-2026-0001",
            issue_date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            due_date: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            currency: "EUR",
            lines,
            tax_rate_bp: 2000,
            subtotal_cents: 2_700_000,
            tax_cents: 540_000,
            total_cents: 3_240_000,
            paid_cents: 0,
            payment_instructions: "IBAN DE00 0000",
            mark: Some(Mark::Paid),
            numbers: &Numbers::new("en"),
            language: Language::En,
        };
        let pdf = invoice_pdf(&doc).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
    }
}
