//! E5: how long a staff change takes to reach clients' open event streams, on PostgreSQL,
//! with 1,000 streams open over 100 client accounts.
//!
//!   PORTICO_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432 \
//!     cargo run --release -p portico-blackbox --bin bench-live -- [streams-per-client] [changes]
//!
//! Prints p50/p99/max of "PATCH sent → event received" over every stream of the changed
//! client, and the PATCH round trip itself for comparison (same run, same machine).
use std::{collections::HashMap, time::Instant};

use portico_blackbox::*;
use serde_json::json;
use tokio::sync::mpsc;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let per_client: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let changes: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(300);
    let clients = 100;
    let app = spawn_app_with(move |s| {
        s.max_streams_per_user = per_client;
        s.db_max_connections = 20;
        s.workers = 2;
    })
    .await;
    eprintln!("backend: {:?}; {clients} clients × {per_client} streams; {changes} changes", app.backend);
    let admin = app.admin().await;

    let mut tasks = Vec::new();
    let mut tokens = Vec::new();
    for i in 0..clients {
        let client = app.create_client(&format!("Bench {i:03}")).await;
        let project = app.post("/projects", &admin, json!({"client_id": client, "name": "P"})).await.id();
        tasks.push(app.post(&format!("/projects/{project}/tasks"), &admin, json!({"title": "T"})).await.id());
        let email = format!("c{i}@bench.test");
        app.create_user(&email, "client", Some(client)).await;
        tokens.push(app.token(&email).await);
    }

    // One reader task per stream, reporting (task id, arrival) as events come.
    let (tx, mut rx) = mpsc::unbounded_channel::<(String, Instant)>();
    let mut open = 0;
    for token in &tokens {
        for _ in 0..per_client {
            let mut stream = app.open_stream(token, None).await.expect("stream opens");
            let tx = tx.clone();
            tokio::spawn(async move {
                while let Some(frame) = stream.next_event(std::time::Duration::from_secs(3600)).await {
                    if frame.event.as_deref() == Some("task.updated") {
                        let _ = tx.send((frame.data["task_id"].as_str().unwrap_or("").to_owned(), Instant::now()));
                    }
                }
            });
            open += 1;
        }
    }
    eprintln!("{open} streams open");

    let mut delivery = Vec::new();
    let mut patch = Vec::new();
    let statuses = ["in_progress", "todo"];
    for n in 0..changes {
        let task = tasks[n % clients].to_string();
        let sent = Instant::now();
        app.patch(&format!("/tasks/{task}"), &admin, json!({"status": statuses[n % 2]})).await.assert(200);
        patch.push(sent.elapsed().as_secs_f64() * 1000.0);
        let mut got: HashMap<usize, ()> = HashMap::new();
        while got.len() < per_client {
            let (id, at) = rx.recv().await.expect("events keep coming");
            if id == task {
                delivery.push((at - sent).as_secs_f64() * 1000.0);
                got.insert(got.len(), ());
            }
        }
    }
    let report = |name: &str, mut v: Vec<f64>| {
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let q = |p: f64| v[((v.len() as f64 - 1.0) * p).round() as usize];
        println!("{name}: n={} p50={:.2} ms p99={:.2} ms max={:.2} ms", v.len(), q(0.5), q(0.99), v[v.len() - 1]);
    };
    report("E5 staff update -> client stream", delivery);
    report("PATCH /tasks/{id} round trip", patch);
}
