//! Server-rendered PDFs: invoices and statements of account.
//!
//! krilla writes the file (the fonts subset and embedded, every word real text a reader can
//! select, search and extract); this module lays the page out. Layout is two passes: the
//! first places text and shapes in pages (measuring with the font's own advances and
//! breaking pages where a row would not fit, the table header repeated), the second draws
//! them, when the page count the footers name is known. Fonts are DejaVu Sans (wide Unicode
//! coverage: Latin, Greek, Cyrillic), compiled in, parsed once.
use std::sync::LazyLock;

use krilla::{
    Document,
    color::rgb,
    geom::{PathBuilder, Point, Rect, Size, Transform},
    image::Image,
    metadata::Metadata,
    num::NormalizedF32,
    page::PageSettings,
    paint::{Fill, Stroke},
    text::{Font, GlyphId, KrillaGlyph},
};

/// The paper size of invoice and statement PDFs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Paper {
    A4,
    Letter,
}

impl Paper {
    pub fn from_db(s: &str) -> Self {
        if s == "letter" { Paper::Letter } else { Paper::A4 }
    }

    pub fn as_db(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::Letter => "letter",
        }
    }
}

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

struct Face {
    pdf: Font,
    shaper: rustybuzz::Face<'static>,
    units_per_em: f32,
}

impl Face {
    fn load(data: &'static [u8]) -> Face {
        let shaper = rustybuzz::Face::from_slice(data, 0).expect("the compiled-in font parses");
        let units_per_em = shaper.units_per_em() as f32;
        Face { pdf: Font::new(data.into(), 0).expect("the compiled-in font loads"), shaper, units_per_em }
    }

    /// The width of `text` at `size` from the glyphs' advances (no shaping: fast enough to
    /// try every word while breaking lines; `shape` gives the exact width of a line).
    fn measure(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|c| {
                let glyph = self.shaper.glyph_index(c).unwrap_or_default();
                u32::from(self.shaper.glyph_hor_advance(glyph).unwrap_or(0))
            })
            .sum();
        units as f32 / self.units_per_em * size
    }

    /// Shapes one line; the glyphs and their width at `size`.
    fn shape(&self, text: &str, size: f32) -> (Vec<KrillaGlyph>, f32) {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let output = rustybuzz::shape(&self.shaper, &[], buffer);
        let (infos, positions) = (output.glyph_infos(), output.glyph_positions());
        let upem = self.units_per_em;
        let mut width = 0.0;
        let glyphs = infos
            .iter()
            .zip(positions)
            .enumerate()
            .map(|(i, (info, pos))| {
                let start = info.cluster as usize;
                let end = infos[i + 1..]
                    .iter()
                    .find(|next| next.cluster != info.cluster)
                    .map_or(text.len(), |next| next.cluster as usize)
                    .max(start);
                width += pos.x_advance as f32 / upem * size;
                KrillaGlyph::new(
                    GlyphId::new(info.glyph_id),
                    pos.x_advance as f32 / upem,
                    pos.x_offset as f32 / upem,
                    pos.y_offset as f32 / upem,
                    pos.y_advance as f32 / upem,
                    start..end,
                    None,
                )
            })
            .collect();
        (glyphs, width)
    }
}

struct Fonts {
    regular: Face,
    bold: Face,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| Fonts { regular: Face::load(REGULAR), bold: Face::load(BOLD) });

/// Parses the fonts now rather than in the first request that renders a PDF.
pub fn warm_up() {
    LazyLock::force(&FONTS);
}

/// The widest or tallest picture accepted, in pixels: a logo, not a poster (and no decoding
/// bomb drawn into every PDF).
pub const MAX_PICTURE_SIDE: u32 = 4096;

/// A raster picture (the agency's logo), PNG or JPEG.
#[derive(Clone)]
pub struct Picture(Image);

impl Picture {
    /// The picture in `bytes`, or `None` if they are neither a PNG nor a JPEG krilla can read.
    pub fn from_bytes(bytes: Vec<u8>) -> Option<Picture> {
        let data: krilla::Data = bytes.into();
        let image = if data.as_ref().starts_with(b"\x89PNG") {
            Image::from_png(data, true).ok()?
        } else if data.as_ref().starts_with(&[0xff, 0xd8, 0xff]) {
            Image::from_jpeg(data, true).ok()?
        } else {
            return None;
        };
        let (w, h) = image.size();
        (w > 0 && h > 0 && w <= MAX_PICTURE_SIDE && h <= MAX_PICTURE_SIDE).then_some(Picture(image))
    }

    /// Whether the picture can really be drawn: krilla decodes it only when a document is
    /// written, so a damaged file with a good header is found by writing one.
    pub fn draws(&self) -> bool {
        let mut layout = Layout::new(Paper::A4);
        layout.picture(0.0, 0.0, 10.0 * self.aspect(), 10.0, self);
        layout.finish("check", "check", |_, _| String::new()).is_ok()
    }

    /// Width over height.
    pub fn aspect(&self) -> f32 {
        let (w, h) = self.0.size();
        w as f32 / h as f32
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Color(pub u8, pub u8, pub u8);

impl Color {
    const TEXT: Color = Color(0x1d, 0x23, 0x2b);
    const MUTED: Color = Color(0x5b, 0x64, 0x70);
    const RULE: Color = Color(0xd5, 0xd9, 0xde);
    const WHITE: Color = Color(0xff, 0xff, 0xff);

    /// `#rrggbb` (what the settings hold); anything else is the text colour.
    pub fn hex(s: &str) -> Color {
        let h = s.trim_start_matches('#');
        let channel = |i: usize| h.get(i..i + 2).and_then(|c| u8::from_str_radix(c, 16).ok());
        match (h.len(), channel(0), channel(2), channel(4)) {
            (6, Some(r), Some(g), Some(b)) => Color(r, g, b),
            _ => Color::TEXT,
        }
    }

    fn rgb(self) -> rgb::Color {
        rgb::Color::new(self.0, self.1, self.2)
    }

    fn fill(self) -> Fill {
        Fill { paint: self.rgb().into(), ..Fill::default() }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub size: f32,
    pub bold: bool,
    pub color: Color,
}

impl Style {
    pub const fn new(size: f32) -> Style {
        Style { size, bold: false, color: Color::TEXT }
    }
    pub const fn bold(self) -> Style {
        Style { bold: true, ..self }
    }
    pub const fn color(self, color: Color) -> Style {
        Style { color, ..self }
    }
    pub const fn muted(self) -> Style {
        self.color(Color::MUTED)
    }
    fn face(&self) -> &'static Face {
        if self.bold { &FONTS.bold } else { &FONTS.regular }
    }
    /// Baseline-to-baseline distance.
    pub fn leading(&self) -> f32 {
        self.size * 1.35
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
    Center,
}

enum Op {
    Text {
        x: f32,
        baseline: f32,
        align: Align,
        style: Style,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Color,
    },
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
        color: Color,
    },
    /// A large diagonal word across the first page: PAID, VOID.
    Stamp {
        text: String,
        color: Color,
    },
    Picture {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        picture: Picture,
    },
}

/// A document being laid out: pages of placed text and shapes, a cursor `y` (from the top)
/// and the margins inside which content flows.
pub struct Layout {
    pages: Vec<Vec<Op>>,
    pub width: f32,
    pub height: f32,
    pub margin: f32,
    pub y: f32,
    bottom: f32,
}

impl Layout {
    pub fn new(paper: Paper) -> Layout {
        let (width, height) = match paper {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
        };
        let margin = 50.0;
        Layout { pages: vec![Vec::new()], width, height, margin, y: margin, bottom: height - margin - 20.0 }
    }

    pub fn left(&self) -> f32 {
        self.margin
    }

    pub fn right(&self) -> f32 {
        self.width - self.margin
    }

    fn page(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("a layout has a page")
    }

    /// Whether `h` more points fit on this page.
    pub fn fits(&self, h: f32) -> bool {
        self.y + h <= self.bottom
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.margin;
    }

    /// One line of text with its baseline at `baseline`; `x` is its left, right or centre.
    pub fn text(&mut self, x: f32, baseline: f32, align: Align, style: Style, text: &str) {
        let text = text.trim_end();
        if text.is_empty() {
            return;
        }
        self.page().push(Op::Text { x, baseline, align, style, text: text.to_owned() });
    }

    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Color) {
        self.page().push(Op::Rect { x, y, w, h, color });
    }

    pub fn rule(&mut self, x1: f32, x2: f32, y: f32, color: Option<Color>) {
        self.page().push(Op::Rule { x1, x2, y, color: color.unwrap_or(Color::RULE) });
    }

    /// `picture` in the box at (`x`, `y`) of `w` × `h` points.
    pub fn picture(&mut self, x: f32, y: f32, w: f32, h: f32, picture: &Picture) {
        self.page().push(Op::Picture { x, y, w, h, picture: picture.clone() });
    }

    pub fn stamp(&mut self, text: &str, color: Color) {
        self.pages[0].push(Op::Stamp { text: text.to_owned(), color });
    }

    pub fn width_of(text: &str, style: Style) -> f32 {
        style.face().measure(text, style.size)
    }

    /// `text` broken into lines no wider than `width` (at spaces; a word wider than a line is
    /// broken between characters). Line breaks in `text` are kept.
    pub fn wrap(text: &str, width: f32, style: Style) -> Vec<String> {
        let face = style.face();
        let mut lines = Vec::new();
        for paragraph in text.lines() {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
                if face.measure(&candidate, style.size) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                for c in word.chars() {
                    line.push(c);
                    if face.measure(&line, style.size) > width && line.chars().count() > 1 {
                        line.pop();
                        lines.push(std::mem::replace(&mut line, c.to_string()));
                    }
                }
            }
            lines.push(line);
        }
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        lines
    }

    /// A paragraph from the cursor down, wrapped to `width` from `x`; moves the cursor below
    /// it, onto new pages as needed.
    pub fn paragraph(&mut self, x: f32, width: f32, style: Style, text: &str) {
        for line in Layout::wrap(text, width, style) {
            if !self.fits(style.leading()) {
                self.new_page();
            }
            self.y += style.leading();
            self.text(x, self.y - style.leading() * 0.25, Align::Left, style, &line);
        }
    }

    /// Draws every page, with `footer(page, pages)` centred at the bottom of each.
    pub fn finish(self, title: &str, author: &str, footer: impl Fn(usize, usize) -> String) -> Result<Vec<u8>, String> {
        let mut document = Document::new();
        document.set_metadata(
            Metadata::new()
                .title(title.to_owned())
                .authors(vec![author.to_owned()])
                .creator(author.to_owned())
                .language("en".to_owned()),
        );
        let settings = PageSettings::from_wh(self.width, self.height).ok_or("bad page size")?;
        let pages = self.pages.len();
        for (i, ops) in self.pages.into_iter().enumerate() {
            let mut page = document.start_page_with(settings.clone());
            let mut surface = page.surface();
            for op in ops {
                match op {
                    Op::Text { x, baseline, align, style, text } => {
                        let face = style.face();
                        let (glyphs, w) = face.shape(&text, style.size);
                        let left = match align {
                            Align::Left => x,
                            Align::Right => x - w,
                            Align::Center => x - w / 2.0,
                        };
                        surface.set_fill(Some(style.color.fill()));
                        surface.draw_glyphs(
                            Point::from_xy(left, baseline),
                            &glyphs,
                            face.pdf.clone(),
                            &text,
                            style.size,
                            false,
                        );
                    }
                    Op::Rect { x, y, w, h, color } => {
                        let Some(rect) = Rect::from_xywh(x, y, w, h) else { continue };
                        let mut path = PathBuilder::new();
                        path.push_rect(rect);
                        if let Some(path) = path.finish() {
                            surface.set_stroke(None);
                            surface.set_fill(Some(color.fill()));
                            surface.draw_path(&path);
                        }
                    }
                    Op::Rule { x1, x2, y, color } => {
                        let mut path = PathBuilder::new();
                        path.move_to(x1, y);
                        path.line_to(x2, y);
                        if let Some(path) = path.finish() {
                            surface.set_fill(None);
                            surface.set_stroke(Some(Stroke {
                                paint: color.rgb().into(),
                                width: 0.6,
                                ..Stroke::default()
                            }));
                            surface.draw_path(&path);
                            surface.set_stroke(None);
                        }
                    }
                    Op::Picture { x, y, w, h, picture } => {
                        let Some(size) = Size::from_wh(w, h) else { continue };
                        surface.push_transform(&Transform::from_translate(x, y));
                        surface.draw_image(picture.0, size);
                        surface.pop();
                    }
                    Op::Stamp { text, color } => {
                        let style = Style::new(96.0).bold();
                        let (glyphs, w) = style.face().shape(&text, style.size);
                        let (cx, cy) = (self.width / 2.0, self.height / 2.0);
                        surface.push_transform(&Transform::from_rotate_at(-30.0, cx, cy));
                        surface.push_opacity(NormalizedF32::new(0.18).expect("in range"));
                        surface.set_fill(Some(color.fill()));
                        surface.draw_glyphs(
                            Point::from_xy(cx - w / 2.0, cy + style.size * 0.35),
                            &glyphs,
                            style.face().pdf.clone(),
                            &text,
                            style.size,
                            false,
                        );
                        surface.pop();
                        surface.pop();
                    }
                }
            }
            let style = Style::new(8.0).muted();
            let text = footer(i + 1, pages);
            let (glyphs, w) = style.face().shape(&text, style.size);
            surface.set_fill(Some(style.color.fill()));
            surface.draw_glyphs(
                Point::from_xy((self.width - w) / 2.0, self.height - self.margin + 12.0),
                &glyphs,
                style.face().pdf.clone(),
                &text,
                style.size,
                false,
            );
            surface.finish();
            page.finish();
        }
        document.finish().map_err(|e| format!("{e:?}"))
    }
}

/// The white text on the brand colour a table's header row is.
pub fn table_header(layout: &mut Layout, color: Color, columns: &[(f32, Align, &str)]) {
    let h = 20.0;
    let (x, w) = (layout.left(), layout.right() - layout.left());
    layout.rect(x, layout.y, w, h, color);
    let style = Style::new(8.5).bold().color(contrasting(color));
    for (cx, align, label) in columns {
        layout.text(*cx, layout.y + 13.5, *align, style, label);
    }
    layout.y += h;
}

/// White on dark colours, the text colour on light ones (by relative luminance).
pub fn contrasting(c: Color) -> Color {
    let lin = |v: u8| {
        let v = f32::from(v) / 255.0;
        if v <= 0.039_28 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
    };
    let l = 0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2);
    if l > 0.4 { Color::TEXT } else { Color::WHITE }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_wraps_at_spaces_and_inside_words_longer_than_a_line() {
        let style = Style::new(10.0);
        let lines = Layout::wrap("Design of the new landing page and two rounds of changes", 120.0, style);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| Layout::width_of(l, style) <= 120.0));
        assert_eq!(lines.join(" "), "Design of the new landing page and two rounds of changes");
        let long = "x".repeat(200);
        let lines = Layout::wrap(&long, 100.0, style);
        assert!(lines.len() > 2);
        assert_eq!(lines.concat(), long);
        assert_eq!(Layout::wrap("one\n\ntwo", 500.0, style), vec!["one", "", "two"]);
    }

    #[test]
    fn colours_come_from_the_settings_hex() {
        assert_eq!(Color::hex("#1f4e79"), Color(0x1f, 0x4e, 0x79));
        assert_eq!(Color::hex("nope"), Color::TEXT);
        assert_eq!(contrasting(Color::hex("#1f4e79")), Color::WHITE);
        assert_eq!(contrasting(Color::hex("#f2f2f2")), Color::TEXT);
    }
}
