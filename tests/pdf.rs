//! What a PDF says, read with poppler's `pdftotext` and `pdfinfo` (Debian's poppler-utils,
//! which `.ci/run` installs): the real text a reader would select, search or copy.
use std::{
    io::Write,
    process::{Command, Stdio},
};

fn run(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let mut child = Command::new(tool)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{tool} (Debian's poppler-utils) could not start: {e}"));
    let mut stdin = child.stdin.take().expect("stdin");
    let bytes = pdf.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&bytes));
    let out = child.wait_with_output().expect("output");
    let _ = writer.join();
    assert!(out.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 text")
}

/// The document's text, in reading order of its layout.
pub fn text(pdf: &[u8]) -> String {
    run("pdftotext", &["-layout", "-enc", "UTF-8", "-", "-"], pdf)
}

/// `pdfinfo`'s report: pages, page size, title, …
pub fn info(pdf: &[u8]) -> String {
    run("pdfinfo", &["-"], pdf)
}

/// `pdffonts`' table: every font and whether it is embedded.
pub fn fonts(pdf: &[u8]) -> String {
    // pdffonts does not read standard input.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("written");
    let out = Command::new("pdffonts").arg(&path).output().expect("pdffonts (poppler-utils) runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// How many raster images the document holds (`pdfimages -list`; a picture's transparency,
/// its soft mask, is not another).
pub fn images(pdf: &[u8]) -> usize {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("written");
    let out = Command::new("pdfimages").arg("-list").arg(&path).output().expect("pdfimages (poppler-utils) runs");
    String::from_utf8_lossy(&out.stdout).lines().filter(|l| l.split_whitespace().nth(2) == Some("image")).count()
}

/// The number of pages `pdfinfo` counts.
pub fn pages(pdf: &[u8]) -> usize {
    info(pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo names the page count")
}
