//! A real SMTP server on loopback for the tests: it speaks enough of RFC 5321 for any client
//! (here lettre inside Portico) to deliver, and keeps what arrives.
use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpListener,
    sync::{Mutex, Notify},
};

#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// The message as transmitted (headers and MIME body).
    pub data: String,
}

impl Received {
    pub fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default().parse(self.data.as_bytes()).expect("a parsable message")
    }
    pub fn subject(&self) -> String {
        self.parsed().subject().unwrap_or_default().to_owned()
    }
    pub fn text(&self) -> String {
        self.parsed().body_text(0).map(|t| t.into_owned()).unwrap_or_default()
    }
    pub fn html(&self) -> String {
        self.parsed().body_html(0).map(|t| t.into_owned()).unwrap_or_default()
    }
    /// The first link in the text part that contains `needle`.
    pub fn link(&self, needle: &str) -> String {
        self.text()
            .split_whitespace()
            .find(|w| w.starts_with("http") && w.contains(needle))
            .unwrap_or_else(|| panic!("no {needle} link in {}", self.text()))
            .to_owned()
    }
    /// The `token` in a `…#token=` link.
    pub fn token(&self, needle: &str) -> String {
        self.link(needle).split("#token=").nth(1).expect("a token in the link").to_owned()
    }
}

/// Points a server's outgoing mail at the sink on `port` (plain SMTP on loopback).
pub fn send_mail_to(s: &mut portico::config::Settings, port: u16) {
    s.smtp_host = Some("127.0.0.1".into());
    s.smtp_port = port;
    s.smtp_tls = portico::config::SmtpTls::None;
}

#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    inbox: Arc<Mutex<Vec<Received>>>,
    arrived: Arc<Notify>,
    /// While set, a new connection is accepted and then never answered (not even greeted),
    /// the way a wedged server or a black-holing middlebox behaves.
    silent: Arc<AtomicBool>,
    /// How long each message's acceptance is held back (a slow server), in milliseconds.
    delay_ms: Arc<std::sync::atomic::AtomicU64>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        Self::start_on(0).await
    }

    pub async fn start_on(port: u16) -> SmtpSink {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.expect("bind the SMTP sink");
        let sink = SmtpSink {
            port: listener.local_addr().unwrap().port(),
            inbox: Default::default(),
            arrived: Default::default(),
            silent: Default::default(),
            delay_ms: Default::default(),
        };
        let s = sink.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let s = s.clone();
                tokio::spawn(async move {
                    let _ = s.session(stream).await;
                });
            }
        });
        sink
    }

    /// Holds back the answer to each message's data by `delay`.
    pub fn set_delay(&self, delay: Duration) {
        self.delay_ms.store(delay.as_millis() as u64, Ordering::SeqCst);
    }

    /// Makes new connections hang (true) or be served again (false).
    pub fn set_silent(&self, silent: bool) {
        self.silent.store(silent, Ordering::SeqCst);
    }

    async fn session(&self, stream: tokio::net::TcpStream) -> std::io::Result<()> {
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read);
        if self.silent.load(Ordering::SeqCst) {
            // Hold the connection, say nothing, until the client gives up.
            let mut sink = Vec::new();
            return tokio::io::AsyncReadExt::read_to_end(&mut lines, &mut sink).await.map(drop);
        }
        write.write_all(b"220 sink.test ESMTP ready\r\n").await?;
        let (mut from, mut to) = (String::new(), Vec::new());
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let upper = line.to_ascii_uppercase();
            let reply: &[u8] = if upper.starts_with("EHLO") {
                b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
            } else if upper.starts_with("HELO") {
                b"250 sink.test\r\n"
            } else if upper.starts_with("MAIL FROM:") {
                from = line[10..].trim().trim_matches(|c| c == '<' || c == '>').to_owned();
                to.clear();
                b"250 OK\r\n"
            } else if upper.starts_with("RCPT TO:") {
                to.push(line[8..].trim().trim_matches(|c| c == '<' || c == '>').to_owned());
                b"250 OK\r\n"
            } else if upper.starts_with("DATA") {
                write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                tokio::time::sleep(Duration::from_millis(self.delay_ms.load(Ordering::SeqCst))).await;
                self.inbox.lock().await.push(Received { from: from.clone(), to: to.clone(), data });
                self.arrived.notify_waiters();
                b"250 OK queued\r\n"
            } else if upper.starts_with("QUIT") {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            } else if upper.starts_with("RSET") || upper.starts_with("NOOP") {
                b"250 OK\r\n"
            } else {
                b"502 not implemented\r\n"
            };
            write.write_all(reply).await?;
        }
    }

    /// Everything received so far.
    pub async fn all(&self) -> Vec<Received> {
        self.inbox.lock().await.clone()
    }

    /// Waits (up to 10 s) for the `nth` (0-based) message to `to`.
    pub async fn wait_for_nth(&self, to: &str, nth: usize) -> Received {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let notified = self.arrived.notified();
            let found: Vec<Received> = self
                .inbox
                .lock()
                .await
                .iter()
                .filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(to)))
                .cloned()
                .collect();
            if let Some(m) = found.get(nth) {
                return m.clone();
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!(
                    "no message #{nth} for {to} within 10 s; received: {:?}",
                    self.all().await.iter().map(|m| &m.to).collect::<Vec<_>>()
                );
            }
        }
    }

    pub async fn wait_for(&self, to: &str) -> Received {
        self.wait_for_nth(to, 0).await
    }

    /// Waits (up to 10 s) for a message to `to` whose subject holds `needle`.
    pub async fn wait_for_subject(&self, to: &str, needle: &str) -> Received {
        for nth in 0.. {
            let m = self.wait_for_nth(to, nth).await;
            if m.subject().contains(needle) {
                return m;
            }
        }
        unreachable!()
    }
}
