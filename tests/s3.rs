//! A real S3-protocol server on loopback for the tests of the S3 storage backend: moto's
//! server mode (`pip install 'moto[server]'`; `.ci/run` installs it), one per test, on a free
//! port, with one bucket. It speaks S3's REST protocol and checks SigV4 signatures' form, so the
//! server's `object_store` client talks to it exactly as it would to AWS, MinIO or R2.
use std::{net::TcpListener, time::Duration};

use portico::config::{Settings, StorageBackend};
use tokio::process::{Child, Command};

pub const BUCKET: &str = "portico-test";

pub struct S3Server {
    pub endpoint: String,
    _child: Child,
}

impl S3Server {
    pub async fn start() -> S3Server {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let binary = std::env::var("PORTICO_TEST_MOTO").unwrap_or_else(|_| "moto_server".into());
        let child = Command::new(&binary)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("start {binary} (pip install 'moto[server]'): {e}"));
        let endpoint = format!("http://127.0.0.1:{port}");
        portico::startup::install_crypto_provider();
        let http = reqwest::Client::new();
        for _ in 0..200 {
            if http.put(format!("{endpoint}/{BUCKET}")).send().await.is_ok_and(|r| r.status().is_success()) {
                return S3Server { endpoint, _child: child };
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the S3 stand-in did not start on {endpoint}");
    }

    /// Points `settings` at this server's bucket.
    pub fn configure(&self, s: &mut Settings) {
        s.storage_backend = StorageBackend::S3;
        s.storage_s3_bucket = Some(BUCKET.into());
        s.storage_s3_endpoint = Some(self.endpoint.clone());
        s.storage_s3_region = "us-east-1".into();
        s.storage_s3_access_key_id = Some("test-key".into());
        s.storage_s3_secret_access_key = Some("test-secret".to_owned().into());
        s.storage_s3_path_style = true;
        s.storage_s3_allow_http = true;
    }

    /// The keys in the bucket, read over the S3 API itself (ListObjectsV2).
    pub async fn keys(&self) -> Vec<String> {
        portico::startup::install_crypto_provider();
        let xml = reqwest::get(format!("{}/{BUCKET}?list-type=2", self.endpoint)).await.unwrap().text().await.unwrap();
        let mut keys = Vec::new();
        let mut rest = xml.as_str();
        while let Some((_, after)) = rest.split_once("<Key>") {
            let (key, tail) = after.split_once("</Key>").expect("a closed <Key>");
            keys.push(key.to_owned());
            rest = tail;
        }
        keys
    }
}
