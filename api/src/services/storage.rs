//! File contents, in a folder (the embedded default) or any S3-compatible store, through
//! `object_store`: one interface, so the rest of Portico never knows which.
//!
//! Contents stream both ways. An upload goes out in parts as it arrives (`Upload`), hashing
//! and sniffing on the way, and is either finished (the object appears whole) or aborted
//! (nothing appears: the local store writes to a staging file it removes, S3 discards the
//! parts of an unfinished multipart upload). A download is the store's own byte stream.
//! Memory stays at a few parts whatever the size of the file.
use std::{ops::Range, sync::Arc};

use bytes::Bytes;
use futures_util::stream::BoxStream;
use object_store::{
    GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart, aws::AmazonS3Builder,
    chunked::ChunkedStore, local::LocalFileSystem, path::Path,
};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};

use crate::config::{Settings, StorageBackend};

/// Bytes kept from the start of an upload to tell its type by.
const SNIFF_BYTES: usize = 8 * 1024;
/// Parts of an upload in flight at once (each up to the part size, 5 MiB).
const PARTS_IN_FLIGHT: usize = 2;
/// How much of a local file a download reads at once.
const READ_CHUNK_BYTES: usize = 256 * 1024;

pub struct Storage {
    store: Arc<dyn ObjectStore>,
    pub backend: &'static str,
}

impl Storage {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        match settings.storage_backend {
            StorageBackend::Local => {
                let dir = settings.storage_dir.clone().unwrap_or_else(|| settings.data_dir.join("files"));
                std::fs::create_dir_all(&dir)
                    .map_err(|e| anyhow::anyhow!("storage: cannot create {}: {e}", dir.display()))?;
                let store = LocalFileSystem::new_with_prefix(&dir)?.with_automatic_cleanup(true).with_fsync(true);
                // A local file is otherwise read 8 KiB at a time: a syscall and a body frame
                // each (docs/benchmarks.md, "Files").
                let store = ChunkedStore::new(Arc::new(store), READ_CHUNK_BYTES);
                Ok(Self { store: Arc::new(store), backend: "local" })
            }
            StorageBackend::S3 => {
                let mut builder = AmazonS3Builder::new()
                    .with_bucket_name(settings.storage_s3_bucket.clone().unwrap_or_default())
                    .with_region(&settings.storage_s3_region)
                    .with_allow_http(settings.storage_s3_allow_http)
                    .with_virtual_hosted_style_request(!settings.storage_s3_path_style);
                if let Some(endpoint) = &settings.storage_s3_endpoint {
                    builder = builder.with_endpoint(endpoint);
                }
                if let Some(id) = &settings.storage_s3_access_key_id {
                    builder = builder.with_access_key_id(id);
                }
                if let Some(secret) = &settings.storage_s3_secret_access_key {
                    builder = builder.with_secret_access_key(secret.expose_secret());
                }
                Ok(Self { store: Arc::new(builder.build()?), backend: "s3" })
            }
        }
    }

    /// Starts writing a new object at `key`.
    pub async fn upload(&self, key: &str) -> object_store::Result<Upload> {
        let path = Path::from(key);
        let parts = self.store.put_multipart(&path).await?;
        Ok(Upload {
            writer: WriteMultipart::new(parts),
            hash: Sha256::new(),
            head: Vec::with_capacity(SNIFF_BYTES),
            size: 0,
        })
    }

    /// Writes a small object whole (the demo agency's files).
    pub async fn put(&self, key: &str, bytes: Bytes) -> object_store::Result<()> {
        self.store.put(&Path::from(key), PutPayload::from_bytes(bytes)).await.map(|_| ())
    }

    /// Writes a small object that is already in memory whole (an e-mail's attachment), typed
    /// and hashed as an upload is.
    pub async fn put_whole(&self, key: &str, bytes: Bytes) -> object_store::Result<Stored> {
        let stored = Stored {
            size: bytes.len() as u64,
            sha256: hex::encode(Sha256::digest(&bytes)),
            content_type: sniff(&bytes[..bytes.len().min(SNIFF_BYTES)]),
        };
        self.put(key, bytes).await?;
        Ok(stored)
    }

    /// The bytes of `key` (of `range`, when given) as a stream.
    pub async fn read(
        &self,
        key: &str,
        range: Option<Range<u64>>,
    ) -> object_store::Result<BoxStream<'static, object_store::Result<Bytes>>> {
        let options = GetOptions { range: range.map(GetRange::Bounded), ..Default::default() };
        Ok(self.store.get_opts(&Path::from(key), options).await?.into_stream())
    }

    /// Removes `key`; one already gone is no error (deletions are retried).
    pub async fn delete(&self, key: &str) -> object_store::Result<()> {
        match self.store.delete(&Path::from(key)).await {
            Err(object_store::Error::NotFound { .. }) => Ok(()),
            other => other,
        }
    }

    /// Removes every object under `prefix` (a deleted file's versions, a deleted project's
    /// files).
    pub async fn delete_all(&self, prefix: &str) -> object_store::Result<usize> {
        use futures_util::TryStreamExt;
        let prefix = Path::from(prefix);
        let keys: Vec<Path> = self.store.list(Some(&prefix)).map_ok(|meta| meta.location).try_collect().await?;
        for key in &keys {
            match self.store.delete(key).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(keys.len())
    }
}

/// An object being written: what has arrived so far, its hash and its first bytes.
pub struct Upload {
    writer: WriteMultipart,
    hash: Sha256,
    head: Vec<u8>,
    size: u64,
}

/// A finished upload.
pub struct Stored {
    pub size: u64,
    pub sha256: String,
    pub content_type: String,
}

impl Upload {
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Adds `chunk`, waiting while too many parts are still on their way to the store.
    pub async fn write(&mut self, chunk: Bytes) -> object_store::Result<()> {
        self.writer.wait_for_capacity(PARTS_IN_FLIGHT).await?;
        self.hash.update(&chunk);
        if self.head.len() < SNIFF_BYTES {
            let take = (SNIFF_BYTES - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        self.size += chunk.len() as u64;
        self.writer.put(chunk);
        Ok(())
    }

    /// Makes the object appear, whole.
    pub async fn finish(self) -> object_store::Result<Stored> {
        let content_type = sniff(&self.head);
        let sha256 = hex::encode(self.hash.finalize());
        let size = self.size;
        self.writer.finish().await?;
        Ok(Stored { size, sha256, content_type })
    }

    /// Discards everything written: no object appears.
    pub async fn abort(self) {
        if let Err(e) = self.writer.abort().await {
            tracing::warn!(error = %e, "storage: aborting an upload failed");
        }
    }
}

/// The type of a file by its first bytes, never by what the uploader claimed: a known binary
/// signature, else UTF-8 text (HTML and SVG included, which are served as text, never run),
/// else opaque bytes.
pub fn sniff(head: &[u8]) -> String {
    // Markup (HTML, XML, SVG) is recognised as such, and must still never be served as markup.
    if let Some(kind) = infer::get(head).filter(|k| !is_markup(k.mime_type())) {
        return kind.mime_type().to_owned();
    }
    if head.is_empty() {
        return "application/octet-stream".into();
    }
    // A multi-byte character may be cut at the end of the sniffed bytes.
    let text = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && e.valid_up_to() + 4 > head.len(),
    };
    if text && !head.contains(&0) { "text/plain; charset=utf-8".into() } else { "application/octet-stream".into() }
}

fn is_markup(mime: &str) -> bool {
    mime.starts_with("text/") || mime.contains("xml") || mime.contains("html") || mime.contains("svg")
}

/// Types shown in the browser rather than downloaded: images that cannot carry script, and
/// PDF (which browsers render in their own sandboxed viewer).
pub fn previewable(content_type: &str) -> bool {
    matches!(content_type, "image/png" | "image/jpeg" | "image/gif" | "image/webp" | "image/avif" | "application/pdf")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes_not_the_name() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), "application/pdf");
        assert_eq!(sniff(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]), "image/png");
        assert_eq!(sniff(b"<html><script>alert(1)</script></html>"), "text/plain; charset=utf-8");
        assert_eq!(sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), "text/plain; charset=utf-8");
        assert_eq!(sniff(b"<?xml version='1.0'?><x/>"), "text/plain; charset=utf-8");
        assert_eq!(sniff(b"<!DOCTYPE html><p>hi"), "text/plain; charset=utf-8");
        assert_eq!(sniff(&[0, 1, 2, 3, 0xff]), "application/octet-stream");
        assert_eq!(sniff("caf\u{e9}".as_bytes()), "text/plain; charset=utf-8");
        // A character cut by the sniffing window is still text.
        assert_eq!(sniff(&"é".as_bytes()[..1]), "text/plain; charset=utf-8");
    }

    #[test]
    fn only_inert_types_are_previewed() {
        assert!(previewable("image/png") && previewable("application/pdf"));
        assert!(!previewable("text/plain; charset=utf-8") && !previewable("image/svg+xml"));
        assert!(!previewable("text/html"));
    }
}
