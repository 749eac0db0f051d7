use portico_blackbox::*;
use serde_json::json;

#[tokio::test]
async fn project_progress_is_derived_from_its_tasks() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let client = app.create_client("Acme").await;
    let project = app
        .post(
            "/projects",
            &admin,
            json!({"client_id": client, "name": "Site", "start_date": "2026-01-01", "end_date": "2026-06-30"}),
        )
        .await;
    project.assert(201);
    assert_eq!(project.body["status"], "planned");
    let pid = project.id();
    for (i, status) in ["done", "done", "todo", "in_progress"].iter().enumerate() {
        app.post(&format!("/projects/{pid}/tasks"), &admin, json!({"title": format!("T{i}"), "status": status}))
            .await
            .assert(201);
    }
    let got = app.get(&format!("/projects/{pid}"), &admin).await;
    assert_eq!(got.body["progress"], json!({"tasks_total": 4, "tasks_done": 2, "percent": 50}));
    let list = app.get("/projects", &admin).await;
    assert_eq!(list.items()[0]["progress"]["percent"], 50);
}

#[tokio::test]
async fn project_dates_must_be_in_order_and_the_client_must_exist() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let client = app.create_client("Acme").await;
    let res = app
        .post(
            "/projects",
            &admin,
            json!({"client_id": client, "name": "X", "start_date": "2026-06-01", "end_date": "2026-01-01"}),
        )
        .await;
    res.assert_problem(422);
    assert!(res.body["errors"]["end_date"].is_array());
    let res = app.post("/projects", &admin, json!({"client_id": uuid::Uuid::new_v4(), "name": "X"})).await;
    res.assert_problem(422);
    assert!(res.body["errors"]["client_id"].is_array());
}

#[tokio::test]
async fn tasks_move_across_the_board_and_are_filtered_and_sorted() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let world = app.world().await;
    let pid = world.a.project_id;
    let t2 = app
        .post(
            &format!("/projects/{pid}/tasks"),
            &admin,
            json!({"title": "Second", "due_date": "2030-01-01", "priority": "urgent", "assignee_id": world.member_id}),
        )
        .await;
    t2.assert(201);
    assert_eq!(t2.body["assignee_name"], "User member@agency.test");
    assert_eq!(t2.body["project_name"], "Project a");
    let board = app.get(&format!("/projects/{pid}/tasks"), &admin).await.items();
    assert_eq!(board.iter().map(|t| t["title"].as_str().unwrap()).collect::<Vec<_>>(), ["Task a", "Second"]);
    let moved = app.patch(&format!("/tasks/{}", t2.id()), &admin, json!({"status": "done", "position": 1})).await;
    moved.assert(200);
    assert_eq!(moved.body["status"], "done");
    let board = app.get(&format!("/projects/{pid}/tasks"), &admin).await.items();
    assert_eq!(board[0]["title"], "Second");
    let open = app.get(&format!("/tasks?open=true&client_id={}", world.a.client_id), &admin).await.items();
    assert_eq!(open.len(), 1);
    let by_due = app.get("/tasks?sort=due_date", &admin).await.items();
    assert_eq!(by_due[0]["title"], "Second");
    let mine =
        app.get(&format!("/tasks?assignee_id={}&status=todo,in_progress", world.member_id), &admin).await.items();
    assert_eq!(mine.len(), 2, "Task a and Task b");
    let cleared =
        app.patch(&format!("/tasks/{}", t2.id()), &admin, json!({"assignee_id": null, "due_date": null})).await;
    assert!(cleared.body["assignee_id"].is_null() && cleared.body["due_date"].is_null());
}

#[tokio::test]
async fn a_task_assignee_must_be_active_staff() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let world = app.world().await;
    let client_user = world.a.user_ids["client"];
    let res = app
        .post(
            &format!("/projects/{}/tasks", world.a.project_id),
            &admin,
            json!({"title": "X", "assignee_id": client_user}),
        )
        .await;
    res.assert_problem(422);
    assert!(res.body["errors"]["assignee_id"].is_array());
}

#[tokio::test]
async fn task_pages_follow_the_cursor_even_with_undated_tasks() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let client = app.create_client("Acme").await;
    let pid = app.post("/projects", &admin, json!({"client_id": client, "name": "P"})).await.id();
    for i in 0..7 {
        let due = if i % 2 == 0 { json!(format!("2030-01-0{}", 1 + i / 2)) } else { json!(null) };
        app.post(&format!("/projects/{pid}/tasks"), &admin, json!({"title": format!("T{i}"), "due_date": due}))
            .await
            .assert(201);
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/tasks?limit=3&cursor={c}"),
            None => "/tasks?limit=3".into(),
        };
        let page = app.get(&path, &admin).await;
        seen.extend(page.items().iter().map(|t| t["title"].as_str().unwrap().to_owned()));
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, ["T0", "T2", "T4", "T6", "T1", "T3", "T5"]);
}

#[tokio::test]
async fn clients_read_their_projects_and_tasks_but_cannot_change_them() {
    let app = spawn_app().await;
    let world = app.world().await;
    let client = app.token(world.a.email("client")).await;
    let projects = app.get("/projects", &client).await.items();
    assert_eq!(projects.len(), 1);
    assert_eq!(projects[0]["id"], world.a.project_id.to_string());
    app.get(&format!("/tasks/{}", world.a.task_id), &client).await.assert(200);
    app.patch(&format!("/tasks/{}", world.a.task_id), &client, json!({"status": "done"})).await.assert_problem(403);
    app.post(&format!("/projects/{}/tasks", world.a.project_id), &client, json!({"title": "Mine"}))
        .await
        .assert_problem(403);
    app.delete(&format!("/projects/{}", world.a.project_id), &client).await.assert_problem(403);
    let finance = app.token(world.a.email("client_finance")).await;
    app.get("/projects", &finance).await.assert_problem(403);
    app.get(&format!("/tasks/{}", world.a.task_id), &finance).await.assert_problem(403);
}

#[tokio::test]
async fn deleting_a_project_removes_its_tasks() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let world = app.world().await;
    app.delete(&format!("/projects/{}", world.a.project_id), &admin).await.assert(204);
    app.get(&format!("/tasks/{}", world.a.task_id), &admin).await.assert_problem(404);
    app.get(&format!("/tasks/{}", world.b.task_id), &admin).await.assert(200);
}

#[tokio::test]
async fn a_task_reads_the_same_in_every_list_and_on_its_own() {
    // Task rows are read by column position; every field must land where it belongs.
    let app = spawn_app().await;
    let world = app.world().await;
    let admin = app.admin().await;
    let body = json!({"title": "Ship it", "description": "All of it", "status": "in_progress", "priority": "urgent",
                      "assignee_id": world.member_id, "due_date": "2031-02-03", "position": 77});
    let created = app.post(&format!("/projects/{}/tasks", world.a.project_id), &admin, body).await;
    created.assert(201);
    let task = created.body.clone();
    for (field, value) in [
        ("title", json!("Ship it")),
        ("description", json!("All of it")),
        ("status", json!("in_progress")),
        ("priority", json!("urgent")),
        ("assignee_id", json!(world.member_id)),
        ("due_date", json!("2031-02-03")),
        ("position", json!(77)),
        ("project_id", json!(world.a.project_id)),
        ("client_id", json!(world.a.client_id)),
        ("project_name", json!("Project a")),
        ("assignee_name", json!("User member@agency.test")),
    ] {
        assert_eq!(task[field], value, "{field}");
    }
    assert!(task["created_at"].is_string() && task["updated_at"].is_string());
    let id = task["id"].as_str().unwrap();
    assert_eq!(app.get(&format!("/tasks/{id}"), &admin).await.body, task);
    for list in [format!("/tasks?project_id={}", world.a.project_id), format!("/projects/{}/tasks", world.a.project_id)]
    {
        let items = app.get(&list, &admin).await.items();
        assert_eq!(items.iter().find(|t| t["id"] == id), Some(&task), "{list}");
    }
    let client = app.token(world.a.email("client")).await;
    assert_eq!(app.get(&format!("/tasks/{id}"), &client).await.body, task);
}
