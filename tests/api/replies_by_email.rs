//! Replies by e-mail, end to end: a staff Reply's notification reaches the client over SMTP with
//! a reply address of their own; their answer, delivered to a real IMAP server (Dovecot), is
//! read by Portico and posted as their Reply on the task — the quoted text and signature cut —
//! and anything that is not theirs to post is refused and reported to staff.
use std::time::Duration;

use portico_blackbox::{imap::ImapServer, smtp::SmtpSink, *};
use serde_json::{Value, json};

async fn app_with_mailboxes(
    adjust: impl FnOnce(&mut portico::config::Settings) + Send + 'static,
) -> (TestApp, SmtpSink, ImapServer) {
    let sink = SmtpSink::start().await;
    let imap = ImapServer::start().await;
    let port = sink.port;
    let imap_port = imap.port;
    let app = spawn_app_with(move |s| {
        smtp::send_mail_to(s, port);
        s.imap_host = Some("127.0.0.1".into());
        s.imap_port = imap_port;
        s.imap_tls = false;
        s.imap_username = Some(portico_blackbox::imap::USER.into());
        s.imap_password = Some(portico_blackbox::imap::PASSWORD.to_owned().into());
        s.imap_reply_address = Some(portico_blackbox::imap::ADDRESS.into());
        s.imap_poll_secs = 1;
        adjust(s);
    })
    .await;
    (app, sink, imap)
}

/// The reply address of the notification `to` received about a staff Reply, if it has one.
async fn reply_address(sink: &SmtpSink, to: &str) -> Option<String> {
    let mail = sink.wait_for_subject(to, "replied on").await;
    let parsed = mail.parsed();
    parsed.reply_to().and_then(|a| a.first()).and_then(|a| a.address()).map(str::to_owned)
}

fn answer(from: &str, to: &str, id: &str, body: &str) -> String {
    format!(
        "From: {from}\nTo: {to}\nSubject: Re: your update\nMessage-ID: <{id}@mail.client.test>\n\
         Date: Mon, 9 Nov 2026 10:00:00 +0000\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{body}\n"
    )
}

async fn thread(app: &TestApp, task: uuid::Uuid) -> Vec<Value> {
    app.get(&format!("/tasks/{task}/comments?limit=200"), &app.admin().await).await.items()
}

async fn wait_for(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !done().await {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn refusals(app: &TestApp) -> Vec<Value> {
    app.get("/audit-log?action=inbound.refused&limit=200", &app.admin().await).await.items()
}

#[tokio::test]
async fn a_client_answers_a_notification_by_email_and_it_is_posted_as_their_reply() {
    let (app, sink, imap) = app_with_mailboxes(|_| {}).await;
    let world = app.world().await;
    let a = &world.a;
    let manager = app.token(&world.manager).await;
    app.post(
        &format!("/tasks/{}/comments", a.task_id),
        &manager,
        json!({"body": "Launch moves to the 20th.", "visibility": "reply"}),
    )
    .await
    .assert(201);
    // Those who may reply get a reply address of their own; a viewer, who may not, gets none.
    let address = reply_address(&sink, a.email("client")).await.expect("a reply address");
    assert!(address.starts_with("replies+") && address.ends_with("@agency.test"), "{address}");
    let other = reply_address(&sink, a.email("client_admin")).await.expect("one each");
    assert_ne!(address, other);
    assert_eq!(reply_address(&sink, a.email("client_viewer")).await, None);
    let mail = sink.wait_for_subject(a.email("client"), "replied on").await;
    assert!(mail.text().contains("reply to this e-mail"), "{}", mail.text());

    let body = "Works for us, thanks.\n\n-- \nSam from Acme\n\nOn Mon, 9 Nov 2026 at 10:00, Studio <replies@agency.test> wrote:\n> Launch moves to the 20th.";
    let sender = format!("Client A <{}>", a.email("client"));
    imap.deliver(&answer(&sender, &address, "first", body)).await;
    wait_for("the e-mailed answer to be posted", async || {
        thread(&app, a.task_id).await.iter().any(|c| c["body"] == "Works for us, thanks.")
    })
    .await;
    let posted = thread(&app, a.task_id).await.into_iter().find(|c| c["body"] == "Works for us, thanks.").unwrap();
    assert_eq!(posted["visibility"], "reply");
    assert_eq!(posted["author_id"], a.user_ids["client"].to_string());
    assert_eq!(imap.unseen().await, 0, "read and marked seen");
    // The client sees it as theirs; it counts as a question by e-mail.
    let theirs = app.get(&format!("/tasks/{}/comments", a.task_id), &app.token(a.email("client")).await).await.items();
    assert!(theirs.iter().any(|c| c["body"] == "Works for us, thanks."));
    let channels = app.get("/metrics/channels", &app.admin().await).await.body;
    let email: u64 = channels["weeks"].as_array().unwrap().iter().map(|w| w["email"].as_u64().unwrap()).sum();
    assert_eq!(email, 1, "{channels}");

    // The same message delivered again is posted once.
    imap.deliver(&answer(&sender, &address, "first", body)).await;
    wait_for("the copy to be read", async || imap.unseen().await == 0).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let copies = thread(&app, a.task_id).await.iter().filter(|c| c["body"] == "Works for us, thanks.").count();
    assert_eq!(copies, 1);
}

#[tokio::test]
async fn an_answer_that_is_not_the_senders_to_post_is_refused_and_reported_to_staff() {
    let (app, sink, imap) = app_with_mailboxes(|s| s.imap_max_message_bytes = 64 * 1024).await;
    let world = app.world().await;
    let (a, b) = (&world.a, &world.b);
    let admin = app.admin().await;
    app.post(
        &format!("/tasks/{}/comments", a.task_id),
        &admin,
        json!({"body": "A question for you.", "visibility": "reply"}),
    )
    .await
    .assert(201);
    let address = reply_address(&sink, a.email("client")).await.unwrap();
    let admins_address = reply_address(&sink, a.email("client_admin")).await.unwrap();
    let before_a = thread(&app, a.task_id).await.len();
    let before_b = thread(&app, b.task_id).await.len();

    // Someone else (another account's client among them) using the reply address; a made-up
    // token; a message too large to read; one that is no e-mail at all; and a quote alone.
    imap.deliver(&answer(b.email("client"), &address, "wrong-sender", "Posting on their behalf")).await;
    imap.deliver(&answer("stranger@evil.test", &address, "stranger", "Hello")).await;
    let forged = format!("replies+{}@agency.test", "ab".repeat(20));
    imap.deliver(&answer(a.email("client"), &forged, "forged", "Guessed")).await;
    let huge = "x".repeat(100 * 1024);
    imap.deliver(&answer(a.email("client"), &address, "huge", &huge)).await;
    imap.deliver("this is not an e-mail at all\n").await;
    imap.deliver(&answer(a.email("client"), &address, "quote-only", "> Only the quote")).await;
    // Deactivated after the e-mail reached them: their answer is not posted either.
    app.patch(&format!("/users/{}", a.user_ids["client_admin"]), &admin, json!({"status": "deactivated"}))
        .await
        .assert(200);
    imap.deliver(&answer(a.email("client_admin"), &admins_address, "deactivated", "Still here?")).await;
    // A good answer after all of them is still read: nothing before it stalls the mailbox.
    imap.deliver(&answer(a.email("client"), &address, "good", "This one is mine.")).await;
    wait_for("the good answer", async || {
        thread(&app, a.task_id).await.iter().any(|c| c["body"] == "This one is mine.")
    })
    .await;
    wait_for("every refusal", async || refusals(&app).await.len() == 7).await;

    let reasons: Vec<String> =
        refusals(&app).await.iter().map(|e| e["details"]["reason"].as_str().unwrap().to_owned()).collect();
    for reason in ["wrong_sender", "no_reply_address", "too_large", "empty", "deactivated"] {
        assert!(reasons.iter().any(|r| r == reason), "{reason} in {reasons:?}");
    }
    assert_eq!(thread(&app, a.task_id).await.len(), before_a + 1, "only the good answer");
    assert_eq!(thread(&app, b.task_id).await.len(), before_b, "nothing on the other account");
    assert_eq!(imap.unseen().await, 0, "every message read once");
    // Staff who look after client accounts hear of each; clients of nothing.
    let told = app.get("/notifications?limit=200", &app.token(&world.manager).await).await.items();
    assert_eq!(told.iter().filter(|n| n["kind"] == "inbound_refused").count(), 7, "{told:?}");
    let client_told = app.get("/notifications?limit=200", &app.token(a.email("client")).await).await.items();
    assert!(client_told.iter().all(|n| n["kind"] != "inbound_refused"));
}

#[tokio::test]
async fn an_emailed_answers_attachments_are_kept_on_the_reply() {
    let (app, sink, imap) = app_with_mailboxes(|_| {}).await;
    let world = app.world().await;
    let a = &world.a;
    let admin = app.admin().await;
    app.post(
        &format!("/tasks/{}/comments", a.task_id),
        &admin,
        json!({"body": "Send us the logo?", "visibility": "reply"}),
    )
    .await
    .assert(201);
    let address = reply_address(&sink, a.email("client")).await.unwrap();
    let raw = format!(
        "From: {from}\nTo: {address}\nSubject: Re: logo\nMessage-ID: <with-file@mail.client.test>\nMIME-Version: 1.0\n\
         Content-Type: multipart/mixed; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain; charset=utf-8\n\n\
         Here it is.\n\n--b1\nContent-Type: text/plain; name=\"brand notes.txt\"\n\
         Content-Disposition: attachment; filename=\"brand notes.txt\"\nContent-Transfer-Encoding: base64\n\n\
         VXNlIHRoZSBibHVlIG9uZS4=\n--b1--\n",
        from = a.email("client"),
    );
    imap.deliver(&raw).await;
    wait_for("the answer with its file", async || {
        thread(&app, a.task_id).await.iter().any(|c| c["body"] == "Here it is.")
    })
    .await;
    let posted = thread(&app, a.task_id).await.into_iter().find(|c| c["body"] == "Here it is.").unwrap();
    let files = posted["attachments"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{posted}");
    assert_eq!(files[0]["name"], "brand notes.txt");
    let file_id = files[0]["file_id"].as_str().unwrap();
    let (status, _, bytes) = app.bytes(&format!("/files/{file_id}/content"), Some(&admin), &[]).await;
    assert_eq!(status, 200);
    assert_eq!(bytes, b"Use the blue one.");
}
