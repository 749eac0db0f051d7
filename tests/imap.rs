//! A real IMAP server on loopback for the replies-by-e-mail tests: Debian's Dovecot
//! (`apt-get install dovecot-imapd`; `.ci/run` installs it), one per test, in a folder of its
//! own, with one mailbox user. Tests deliver a message the way a mail server would, by
//! appending it to the inbox (IMAP APPEND), and read its flags back.
use std::{net::TcpListener, os::unix::fs::PermissionsExt, time::Duration};

use futures_util::TryStreamExt;
use portico::config::Settings;
use tokio::{net::TcpStream, process::Child};

pub const USER: &str = "replies";
pub const PASSWORD: &str = "mailbox secret";
pub const ADDRESS: &str = "replies@agency.test";

pub struct ImapServer {
    pub port: u16,
    _dir: tempfile::TempDir,
    _child: Child,
}

impl ImapServer {
    pub async fn start() -> ImapServer {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        // Dovecot reads and writes mail as its own user, which must reach the folder.
        std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
        for sub in ["run", "state", "mail", "home"] {
            std::fs::create_dir(root.join(sub)).unwrap();
        }
        for sub in ["mail", "home"] {
            let status = std::process::Command::new("chown")
                .args(["dovecot:dovecot", root.join(sub).to_str().unwrap()])
                .status()
                .expect("chown");
            assert!(status.success());
        }
        std::fs::write(root.join("passwd"), format!("{USER}:{{PLAIN}}{PASSWORD}\n")).unwrap();
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let d = root.display();
        let config = format!(
            "protocols = imap\nlisten = 127.0.0.1\nbase_dir = {d}/run\nstate_dir = {d}/state\n\
             log_path = {d}/dovecot.log\nssl = no\ndisable_plaintext_auth = no\nauth_mechanisms = plain login\n\
             mail_location = maildir:{d}/mail/%u\ndefault_login_user = dovenull\ndefault_internal_user = dovecot\n\
             first_valid_uid = 1\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN {d}/passwd\n}}\n\
             userdb {{\n  driver = static\n  args = uid=dovecot gid=dovecot home={d}/home/%u\n}}\n\
             service imap-login {{\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n  \
             inet_listener imaps {{\n    port = 0\n  }}\n}}\n\
             service stats {{\n  unix_listener stats-writer {{\n    mode = 0666\n  }}\n}}\n"
        );
        std::fs::write(root.join("dovecot.conf"), config).unwrap();
        let binary = std::env::var("PORTICO_TEST_DOVECOT").unwrap_or_else(|_| "dovecot".into());
        let child = tokio::process::Command::new(&binary)
            .args(["-F", "-c", root.join("dovecot.conf").to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("start {binary} (apt-get install dovecot-imapd): {e}"));
        for _ in 0..200 {
            if TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return ImapServer { port, _dir: dir, _child: child };
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("dovecot did not start on port {port}: {:?}", std::fs::read_to_string(root.join("dovecot.log")));
    }

    /// Points `settings` at this mailbox (plain IMAP: it is on loopback), read every second.
    pub fn configure(&self, s: &mut Settings) {
        s.imap_host = Some("127.0.0.1".into());
        s.imap_port = self.port;
        s.imap_tls = false;
        s.imap_username = Some(USER.into());
        s.imap_password = Some(PASSWORD.to_owned().into());
        s.imap_reply_address = Some(ADDRESS.into());
        s.imap_poll_secs = 1;
    }

    async fn session(&self) -> async_imap::Session<TcpStream> {
        let tcp = TcpStream::connect(("127.0.0.1", self.port)).await.unwrap();
        let mut client = async_imap::Client::new(tcp);
        client.read_response().await.unwrap();
        client.login(USER, PASSWORD).await.map_err(|(e, _)| e).unwrap()
    }

    /// Delivers `raw` to the inbox, as a mail server would.
    pub async fn deliver(&self, raw: &str) {
        let mut s = self.session().await;
        s.append("INBOX", None, None, raw.replace("\r\n", "\n").replace('\n', "\r\n")).await.unwrap();
        s.logout().await.unwrap();
    }

    /// How many messages of the inbox are still unseen.
    pub async fn unseen(&self) -> usize {
        let mut s = self.session().await;
        s.select("INBOX").await.unwrap();
        let n = s.uid_search("UNSEEN").await.unwrap().len();
        let _: Vec<_> = s.uid_fetch("1:*", "FLAGS").await.unwrap().try_collect().await.unwrap();
        s.logout().await.unwrap();
        n
    }
}
