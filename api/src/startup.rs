//! Builds the application: state, database, HTTP server. Shared by the binary and the tests,
//! which bind port 0 to get a free port.
use std::{net::TcpListener, sync::Arc, time::Duration};

use actix_web::{App, HttpResponse, HttpServer, Responder, dev::Server, web};
use base64::{Engine, engine::general_purpose::STANDARD};
use rand::RngCore;
use secrecy::ExposeSecret;
use tracing_actix_web::{RequestId, RootSpanBuilder, TracingLogger};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::{
    auth::{authz::AuthzCache, jwt::JwtKeys, password::Passwords},
    config::{Environment, Settings},
    db, domain,
    error::extractors,
    metrics::Metrics,
    openapi,
    services::{
        events::{self, EventBus},
        mail::Mailer,
        storage::Storage,
    },
    state::AppState,
};

/// Reads the signing key: configured, or (development only) generated once into the data folder.
fn signing_key(settings: &Settings) -> anyhow::Result<Vec<u8>> {
    if let Some(secret) = &settings.jwt_secret {
        return Ok(secret.expose_secret().as_bytes().to_vec());
    }
    if settings.env == Environment::Production {
        anyhow::bail!("configuration: PORTICO_JWT_SECRET is required in production");
    }
    let path = settings.data_dir.join("jwt.key");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        return Ok(STANDARD.decode(existing.trim())?);
    }
    std::fs::create_dir_all(&settings.data_dir)?;
    let mut key = [0u8; 48];
    rand::rng().fill_bytes(&mut key);
    std::fs::write(&path, STANDARD.encode(key))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    }
    tracing::info!(path = %path.display(), "generated a signing key for access tokens");
    Ok(key.to_vec())
}

/// One TLS crypto provider for the process (HTTPS clients such as webhooks'); a second call
/// is a no-op.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Connects, migrates and readies everything the server needs.
pub async fn prepare(settings: Settings) -> anyhow::Result<AppState> {
    install_crypto_provider();
    // `--demo` is applied after the settings were validated: check it again here.
    anyhow::ensure!(
        !(settings.demo && settings.env == crate::config::Environment::Production),
        "the demo agency is refused in production (PORTICO_ENV=production): its logins are public"
    );
    let key = signing_key(&settings)?;
    let db = db::connect(&settings).await?;
    db::migrate(&db).await?;
    let passwords = Passwords::new(settings.password_hash_concurrency);
    let storage = Arc::new(Storage::from_settings(&settings)?);
    let state = AppState {
        events: Arc::new(EventBus::new(db.get_database_backend(), events::last_placed(&db).await?)),
        metrics: Arc::new(Metrics::new()),
        mailer: Arc::new(Mailer::from_settings(&settings)?),
        jwt: JwtKeys::new(&key, &settings.jwt_issuer, &settings.jwt_audience, settings.access_token_ttl_secs),
        authz: Arc::new(AuthzCache::new(Duration::from_secs(settings.authz_cache_ttl_secs))),
        passwords,
        storage: storage.clone(),
        stripe: crate::services::stripe::Stripe::from_settings(&settings)?.map(Arc::new),
        db,
        settings: Arc::new(settings),
    };
    crate::services::pdf::warm_up();
    state.mailer.attach_with(domain::invoices::mail_attachments(storage));
    domain::installation::prepare(&state).await?;
    domain::response_stats::ensure_counted(&state.db, state.settings.response_target_hours).await?;
    if state.settings.demo {
        crate::demo::seed_and_print(&state).await?;
    }
    Ok(state)
}

/// The SPA's files, with `index.html` for every other path that is not the API's (client-side
/// routes such as `/projects/…` must load the app).
fn spa(dir: &std::path::Path, methods: std::sync::Arc<openapi::Methods>) -> actix_files::Files {
    let index = dir.join("index.html");
    actix_files::Files::new("/", dir).index_file("index.html").default_handler(web::to(
        move |req: actix_web::HttpRequest| {
            let index = index.clone();
            let methods = methods.clone();
            async move {
                if req.path().starts_with("/api/") || req.path() == "/api" {
                    return Err(actix_web::Error::from(methods.unrouted(req.path())));
                }
                let file = actix_files::NamedFile::open_async(&index).await?;
                Ok(file.customize().insert_header(("Cache-Control", "no-cache")).respond_to(&req).map_into_boxed_body())
            }
        },
    ))
}

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let state = prepare(settings).await?;
        Self::serve(state)
    }

    pub fn serve(state: AppState) -> anyhow::Result<Self> {
        let listener = TcpListener::bind((state.settings.host.as_str(), state.settings.port))?;
        let port = listener.local_addr()?.port();
        let workers = state.settings.workers;
        let web_dir = state.settings.web_dir.clone();
        let serve_spa = web_dir.join("index.html").is_file();
        if !serve_spa {
            tracing::warn!(dir = %web_dir.display(), "no built SPA found; serving the API only (run `npm run build` in web/)");
        }
        let body_limit = state.settings.max_body_bytes;
        let state = web::Data::new(state);
        if state.settings.background_workers {
            crate::workers::spawn(state.clone().into_inner());
        }
        state.events.clone().spawn(state.db.clone(), state.authz.clone());
        let metrics = web::Data::from(state.metrics.clone());
        let spec = openapi::spec();
        let methods = std::sync::Arc::new(openapi::Methods::of(&spec));
        let allow = web::Data::from(methods.clone());
        let mut server = HttpServer::new(move || {
            openapi::register(
                App::new()
                    .wrap(actix_web::middleware::from_fn(crate::conditional::etags))
                    // Outside the replays, so an answer given there carries the key's rate too.
                    .wrap(actix_web::middleware::from_fn(crate::idempotency::idempotent))
                    .wrap(actix_web::middleware::from_fn(crate::headers::rate_limits))
                    .wrap(actix_web::middleware::from_fn(crate::tenant::scope))
                    .wrap(actix_web::middleware::from_fn(crate::extract::refuse_nul_in_query))
                    .wrap(actix_web::middleware::from_fn(openapi::allow))
                    .wrap(actix_web::middleware::from_fn(crate::i18n::language_of_request))
                    .wrap(actix_web::middleware::from_fn(crate::headers::harden))
                    .wrap(actix_web::middleware::from_fn(crate::metrics::observe))
                    .wrap(TracingLogger::<RequestSpan>::new())
                    .app_data(state.clone())
                    .app_data(metrics.clone())
                    .app_data(allow.clone())
                    .app_data(web::PayloadConfig::new(body_limit))
                    .app_data(extractors::query_config())
                    .app_data(extractors::path_config())
                    .into_utoipa_app(),
            )
            .into_app()
            .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", spec.clone()))
            .route("/metrics", web::get().to(crate::routes::health::metrics))
            .route(
                "/api/docs",
                web::get().to(|| async { HttpResponse::Found().insert_header(("Location", "/api/docs/")).finish() }),
            )
            .configure(|cfg| {
                if serve_spa {
                    cfg.service(spa(&web_dir, methods.clone()));
                }
            })
            .default_service(web::to({
                let methods = methods.clone();
                move |req: actix_web::HttpRequest| {
                    let answer = methods.unrouted(req.path());
                    async move { Err::<HttpResponse, _>(answer) }
                }
            }))
        })
        .listen(listener)?
        .shutdown_timeout(10);
        if workers > 0 {
            server = server.workers(workers);
        }
        Ok(Self { port, server: server.run() })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// The span every request runs in: what an error logged inside it needs to be traced back
/// (method, path, the `x-request-id` the caller got). The default builder also resolved the
/// route pattern (a second walk of the routing table, with its regexes) and formatted a dozen
/// OpenTelemetry fields on every request, which nothing here reads; on the task page that was
/// about 7 % of the server's CPU (docs/benchmarks.md).
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &actix_web::dev::ServiceRequest) -> tracing::Span {
        let id = actix_web::HttpMessage::extensions(request).get::<RequestId>().copied();
        tracing::info_span!("request", method = %request.method(), path = request.path(), request_id = id.map(tracing::field::display))
    }

    fn on_request_end<B: actix_web::body::MessageBody>(
        _: tracing::Span,
        _: &Result<actix_web::dev::ServiceResponse<B>, actix_web::Error>,
    ) {
    }
}
