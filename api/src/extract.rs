//! The request extractors: `Actor` (the verified caller), `Reader`, `Body<T>` (the JSON body,
//! with errors that name the offending field, `lines[2].quantity`, instead of a position in the
//! text), `Downloader` (an actor or a download link) and `ClientAddr`.
use std::{future::Future, net::IpAddr, ops::Deref, pin::Pin};

use actix_web::{
    FromRequest, HttpRequest,
    dev::Payload,
    http::{Method, header},
    web,
};
use serde::de::DeserializeOwned;

use crate::{
    auth::{
        Actor,
        actor::{Epochs, live_key, live_key_by_id},
        jwt::LinkClaims,
    },
    config::ProxyHeader,
    domain::sessions::Device,
    entities::api_key,
    error::{ApiError, ApiResult, FieldErrors},
    state::AppState,
    tenant,
};

pub struct Body<T>(pub T);

impl<T> Body<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Body<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

fn strip_position(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}

/// The path of the first string (or key) that holds U+0000: PostgreSQL cannot store it in
/// text, and SQLite would, so it is refused before either sees it, the same on both. JSON can
/// carry it only escaped, so bodies without `\u0000` are not looked into.
fn nul_field(bytes: &[u8]) -> Option<String> {
    if !bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")) {
        return None;
    }
    // Malformed JSON is reported by the real parse.
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    find_nul(&value, "")
}

fn find_nul(value: &serde_json::Value, path: &str) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::String(s) if s.contains('\0') => Some(if path.is_empty() { "body".to_owned() } else { path.to_owned() }),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| find_nul(item, &format!("{path}[{i}]"))),
        Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            let at = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            if key.contains('\0') { Some(at) } else { find_nul(item, &at) }
        }),
        _ => None,
    }
}

/// A body that is a JSON object only where the request type is one: serde reads a struct from
/// an array too (its fields by position), which no client means and the spec does not allow.
struct ObjectsOnly<D>(D);

macro_rules! forward {
    ($($method:ident),*) => {$(
        fn $method<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            self.0.$method(visitor)
        }
    )*};
}

impl<'de, D: serde::Deserializer<'de>> serde::Deserializer<'de> for ObjectsOnly<D> {
    type Error = D::Error;

    forward!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier,
        deserialize_ignored_any
    );

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_map(visitor)
    }

    fn deserialize_unit_struct<V: serde::de::Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_newtype_struct<V: serde::de::Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_newtype_struct(name, visitor)
    }

    fn deserialize_tuple<V: serde::de::Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Self::Error> {
        self.0.deserialize_tuple(len, visitor)
    }

    fn deserialize_tuple_struct<V: serde::de::Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_tuple_struct(name, len, visitor)
    }

    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// What a string holding U+0000 is told, in a body or a query string alike.
fn nul_message() -> String {
    crate::problem!("http-nul-character")
}

pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if let Some(field) = nul_field(bytes) {
        return Err(ApiError::field(&field, nul_message()));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(ObjectsOnly(de)).map_err(|err| {
        let inner = err.inner();
        if !inner.is_data() {
            return ApiError::BadRequest(crate::problem!(
                "body-malformed-json",
                why = strip_position(&inner.to_string())
            ));
        }
        let path = err.path().to_string();
        let message = strip_position(&inner.to_string());
        // A missing field is reported at its parent; name the field itself.
        let missing = message.strip_prefix("missing field `").and_then(|m| m.split('`').next());
        let field = match (missing, path.as_str()) {
            (Some(name), ".") => name.to_owned(),
            (Some(name), parent) => format!("{parent}.{name}"),
            (None, ".") => "body".to_owned(),
            (None, p) => p.to_owned(),
        };
        ApiError::Unprocessable(FieldErrors::from([(field, vec![message])]))
    })
}

impl<T: DeserializeOwned + 'static> FromRequest for Body<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<mime::Mime>().ok())
            .is_some_and(|m| m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON));
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::BadRequest(crate::problem!("body-not-json")));
            }
            let bytes = bytes.await.map_err(|e| match e.as_response_error().status_code().as_u16() {
                413 => ApiError::PayloadTooLarge,
                _ => ApiError::BadRequest(crate::problem!("body-unreadable")),
            })?;
            parse(&bytes).map(Body)
        })
    }
}

fn bearer(req: &HttpRequest) -> Option<&str> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim())
}

/// Refuses a query string that carries U+0000 in a name or value (422 naming the parameter),
/// for the reason `nul_field` gives.
pub async fn refuse_nul_in_query(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let query = req.query_string();
    if query.contains("%00") || query.contains('\0') {
        let pairs = web::Query::<Vec<(String, String)>>::from_query(query).map(web::Query::into_inner);
        let named = pairs.unwrap_or_default().into_iter().find(|(k, v)| k.contains('\0') || v.contains('\0'));
        let field = named.map(|(k, _)| k.replace('\0', "")).unwrap_or_else(|| "query".to_owned());
        // Answered here, not raised: a raised error becomes its answer outside the request's
        // language (an English title) and past the middleware that harden and label answers.
        return Ok(req.error_response(ApiError::field(&field, nul_message())));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// The verified caller with their current permissions. A View-as session is read-only: any
/// request that is not a read is refused (403) before anything else runs.
impl FromRequest for Actor {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let read = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
            authenticate(&req, read).await
        })
    }
}

/// The caller of a request that changes nothing of theirs even though it is not a GET (asking
/// for a stream ticket), so a View-as session may make it too.
pub struct Reader(pub Actor);

impl FromRequest for Reader {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(&req, true).await.map(Reader) })
    }
}

/// The caller of an `Idempotency-Key`'s replay, checked as its handler checked them. As a
/// reader: a write a View-as session may not make was refused, and refusals are not kept.
pub async fn caller_of_replay(req: &HttpRequest) -> ApiResult<Actor> {
    authenticate(req, true).await
}

/// What someone who must enrol in two-factor sign-in may still do: see who they are (and whose
/// portal this is) and enrol.
const ENROLMENT: &[(&str, &str)] = &[
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/branding"),
    ("GET", "/api/v1/me/two-factor"),
    ("POST", "/api/v1/me/two-factor/setup"),
    ("POST", "/api/v1/me/two-factor/confirm"),
];

async fn authenticate(req: &HttpRequest, read_only: bool) -> ApiResult<Actor> {
    let state = req.app_data::<web::Data<AppState>>().expect("AppState registered");
    let token = bearer(req).ok_or_else(|| ApiError::Unauthorized(crate::problem!("http-token-missing")))?;
    if token.starts_with(api_key::SECRET_PREFIX) {
        return authenticate_key(req, state, token).await;
    }
    let claims = state
        .jwt
        .verify(token)
        .map_err(|why| ApiError::Unauthorized(crate::problem!("http-token-refused", why = why)))?;
    let viewing = claims.act.as_ref().map(|a| a.sub);
    let issued_in = Epochs { user: claims.epoch, viewer: claims.act.as_ref().map(|a| a.epoch) };
    let mut actor = Actor::for_user(&state.authz, &state.db, claims.sub, viewing, Some(issued_in)).await?;
    actor.session_id = claims.sid;
    if actor.must_enrol && !ENROLMENT.contains(&(req.method().as_str(), req.path())) {
        return Err(ApiError::TwoFactorEnrolmentRequired);
    }
    // From here on, the request's connections are held to a client user's account.
    tenant::name(actor.client_id.filter(|_| actor.is_client()));
    if viewing.is_some() && !read_only {
        return Err(ApiError::Forbidden(crate::problem!("http-view-as-read-only")));
    }
    // Their visit: every request of theirs counts, View-as never does.
    let every = std::time::Duration::from_secs(state.settings.visit_seen_every_secs);
    if viewing.is_none() && state.authz.visit_due(actor.user_id, every) {
        // Bookkeeping: the request does not fail for want of it.
        if let Err(err) = crate::domain::activity::seen(&state.db, actor.user_id, state.settings.clock.now()).await {
            tracing::warn!(user = %actor.user_id, error = %err, "could not write down a visit");
        }
    }
    Ok(actor)
}

/// The caller behind an API key, read afresh (a revoked or expired key is refused at once), its
/// use written down at most once a minute.
async fn authenticate_key(req: &HttpRequest, state: &AppState, secret: &str) -> ApiResult<Actor> {
    let key = live_key(&state.db, secret)
        .await?
        .ok_or_else(|| ApiError::Unauthorized(crate::problem!("http-api-key-unknown")))?;
    let actor = Actor::for_key(&state.authz, &state.db, &key).await?;
    spend(req, state, &key).await?;
    tenant::name(actor.client_id.filter(|_| actor.is_client()));
    if state.authz.key_use_due(key.id) {
        let address = caller_ip(req).map(|ip| canonical(ip).to_string());
        // Bookkeeping: the request the key was sent with does not fail for want of it.
        if let Err(err) = crate::domain::api_keys::record_use(state, key.id, address).await {
            tracing::warn!(key = %key.id, error = %err, "could not write down an API key's use");
        }
    }
    Ok(actor)
}

/// Counts a request with `key` against its rate before anything else is done for it (429 past
/// it); the answer's headers say where it stands.
async fn spend(req: &HttpRequest, state: &AppState, key: &api_key::Model) -> ApiResult<()> {
    let (quota, within) = crate::domain::api_keys::spend(state, key).await?;
    actix_web::HttpMessage::extensions_mut(req).insert(quota);
    if !within {
        return Err(ApiError::TooManyRequests { retry_after_secs: quota.reset_secs as u64 });
    }
    Ok(())
}

/// The caller of a download: an access token as everywhere, or else the `link` token of a
/// download link (`<img src>`, a plain link: what cannot send a header). A link's user is
/// authorised afresh on every use, exactly as their access token would be; the route checks
/// the link is for the file and version asked for.
pub struct Downloader {
    pub actor: Actor,
    pub link: Option<LinkClaims>,
}

impl FromRequest for Downloader {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            if bearer(&req).is_some() {
                return Ok(Downloader { actor: authenticate(&req, true).await?, link: None });
            }
            let link = web::Query::<LinkQuery>::from_query(req.query_string())
                .ok()
                .and_then(|q| q.into_inner().link)
                .ok_or_else(|| ApiError::Unauthorized(crate::problem!("http-download-credentials-missing")))?;
            let state = req.app_data::<web::Data<AppState>>().expect("AppState registered");
            let claims = state
                .jwt
                .verify_link(&link)
                .map_err(|why| ApiError::Unauthorized(crate::problem!("http-download-link-refused", why = why)))?;
            let viewing = claims.act.as_ref().map(|a| a.sub);
            let issued_in = Epochs { user: claims.epoch, viewer: claims.act.as_ref().map(|a| a.epoch) };
            // A link made with an API key is held to that key, and dies with it.
            let actor = match claims.key {
                Some(id) => {
                    let key = live_key_by_id(&state.db, id).await?;
                    let actor = Actor::for_key(&state.authz, &state.db, &key).await?;
                    spend(&req, state, &key).await?;
                    actor
                }
                None => {
                    let actor = Actor::for_user(&state.authz, &state.db, claims.sub, viewing, Some(issued_in)).await?;
                    actor.require_enrolled()?;
                    actor
                }
            };
            tenant::name(actor.client_id.filter(|_| actor.is_client()));
            Ok(Downloader { actor, link: Some(claims) })
        })
    }
}

#[derive(serde::Deserialize)]
struct LinkQuery {
    link: Option<String>,
}

/// The caller's network address, for throttling. A request from one of
/// `PORTICO_TRUSTED_PROXIES` is from the right-most hop of its forwarding header that is not
/// itself a trusted proxy (everything left of that was written by the client, and may be
/// anything); any other request is from its peer, whatever its headers say. An IPv6 client
/// is its /64: one host usually holds the whole network, so counting single addresses would
/// give it billions of budgets.
pub struct ClientAddr(pub String);

impl FromRequest for ClientAddr {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let addr = caller_ip(req);
        std::future::ready(Ok(ClientAddr(addr.map(bucket).unwrap_or_else(|| "unknown".into()))))
    }
}

/// The caller's address as `ClientAddr` finds it, whole (not bucketed).
fn caller_ip(req: &HttpRequest) -> Option<IpAddr> {
    let peer = req.peer_addr().map(|a| a.ip());
    match req.app_data::<web::Data<AppState>>() {
        Some(state) => {
            let trusted = state.settings.trusted_proxies();
            client_address(peer, req.headers(), &trusted, state.settings.proxy_header)
        }
        None => peer,
    }
}

/// The device behind a login: the address found as for throttling, but whole, and the
/// browser's `User-Agent` without control characters, cut to 300 characters.
impl FromRequest for Device {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let user_agent = req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().filter(|c| !c.is_control()).take(300).collect::<String>())
            .map(|ua| ua.trim().to_owned())
            .filter(|ua| !ua.is_empty());
        let address = caller_ip(req).map(|ip| canonical(ip).to_string());
        std::future::ready(Ok(Device { address, user_agent }))
    }
}

fn client_address(
    peer: Option<IpAddr>,
    headers: &actix_web::http::header::HeaderMap,
    trusted: &[ipnet::IpNet],
    header: ProxyHeader,
) -> Option<IpAddr> {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(&canonical(*ip)));
    let peer = peer?;
    if !is_trusted(&peer) {
        if trusted.is_empty() && headers.contains_key("x-forwarded-for") && !crate::services::targets::is_public(peer) {
            warn_untrusted_proxy(peer);
        }
        return Some(peer);
    }
    let name = match header {
        ProxyHeader::XForwardedFor => "x-forwarded-for",
        ProxyHeader::Forwarded => "forwarded",
    };
    let hops: Vec<String> = headers
        .get_all(name)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|hop| match header {
            ProxyHeader::XForwardedFor => hop.trim().to_owned(),
            ProxyHeader::Forwarded => forwarded_for(hop).unwrap_or_default(),
        })
        .collect();
    let mut nearest = peer;
    for hop in hops.iter().rev() {
        // A hop no proxy would write ends the walk: trust stops at the last address we could read.
        let Some(ip) = parse_hop(hop) else { break };
        if !is_trusted(&ip) {
            return Some(ip);
        }
        nearest = ip;
    }
    Some(nearest)
}

/// Said once per process: behind a proxy nobody named, every client counts as the proxy, and
/// a stranger's twenty failed logins refuse everyone's.
fn warn_untrusted_proxy(peer: IpAddr) {
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        tracing::warn!(
            %peer,
            "requests arrive with X-Forwarded-For from an internal address, but PORTICO_TRUSTED_PROXIES is empty: \
             every client behind that proxy shares its address for throttling; name the proxy's network"
        );
    }
}

/// The `for=` of one `Forwarded` element (RFC 7239), unquoted.
fn forwarded_for(element: &str) -> Option<String> {
    element.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        key.trim().eq_ignore_ascii_case("for").then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// An address as proxies write it: bare, with a port, or bracketed IPv6 with or without one.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| hop.strip_prefix('[')?.split(']').next()?.parse().ok())
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// The throttling key of an address: IPv4 as it is, IPv6 as its /64.
fn bucket(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => ipnet::Ipv6Net::new(v6, 64).map(|n| n.trunc().to_string()).unwrap_or_else(|_| v6.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address_of(peer: &str, headers: &[(&str, &str)], trusted: &str, header: ProxyHeader) -> String {
        let mut map = actix_web::http::header::HeaderMap::new();
        for (name, value) in headers {
            map.append(
                actix_web::http::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                actix_web::http::header::HeaderValue::from_str(value).unwrap(),
            );
        }
        let trusted: Vec<ipnet::IpNet> =
            trusted.split(',').filter(|s| !s.is_empty()).map(|s| s.parse().unwrap()).collect();
        bucket(client_address(Some(peer.parse().unwrap()), &map, &trusted, header).unwrap())
    }

    const XFF: ProxyHeader = ProxyHeader::XForwardedFor;

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_the_headers_say() {
        let spoofed = [("x-forwarded-for", "198.51.100.7"), ("forwarded", "for=198.51.100.8")];
        assert_eq!(address_of("203.0.113.5", &spoofed, "", XFF), "203.0.113.5");
    }

    #[test]
    fn a_request_from_an_untrusted_peer_keeps_its_own_address() {
        let spoofed = [("x-forwarded-for", "198.51.100.7")];
        assert_eq!(address_of("203.0.113.5", &spoofed, "10.0.0.0/8", XFF), "203.0.113.5");
    }

    #[test]
    fn behind_a_trusted_proxy_the_client_is_the_right_most_untrusted_hop() {
        // The client wrote the first hop itself; the proxies appended the rest.
        let chain = [("x-forwarded-for", "198.51.100.7, 203.0.113.9, 10.0.0.2")];
        assert_eq!(address_of("10.0.0.1", &chain, "10.0.0.0/8", XFF), "203.0.113.9");
    }

    #[test]
    fn the_forwarded_header_is_ignored_unless_chosen() {
        let both = [("forwarded", "for=198.51.100.8"), ("x-forwarded-for", "203.0.113.9")];
        assert_eq!(address_of("10.0.0.1", &both, "10.0.0.0/8", XFF), "203.0.113.9");
        let forwarded = [("forwarded", r#"for=198.51.100.8;proto=https, for="[2001:db8:cafe::17]:4711""#)];
        assert_eq!(address_of("10.0.0.1", &forwarded, "10.0.0.0/8", ProxyHeader::Forwarded), "2001:db8:cafe::/64");
    }

    #[test]
    fn a_trusted_proxy_without_a_header_is_itself_the_client() {
        assert_eq!(address_of("10.0.0.1", &[], "10.0.0.0/8", XFF), "10.0.0.1");
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_and_mapped_ipv4_as_ipv4() {
        assert_eq!(address_of("2001:db8:1:2:aaaa::1", &[], "", XFF), "2001:db8:1:2::/64");
        assert_eq!(address_of("2001:db8:1:2:bbbb::9", &[], "", XFF), "2001:db8:1:2::/64");
        assert_eq!(address_of("::ffff:203.0.113.5", &[], "", XFF), "203.0.113.5");
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Line {
        quantity: f64,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Req {
        name: String,
        lines: Vec<Line>,
    }

    fn field_of(json: &str) -> String {
        match parse::<Req>(json.as_bytes()) {
            Err(ApiError::Unprocessable(f)) => f.keys().next().unwrap().clone(),
            other => panic!("expected 422, got {other:?}"),
        }
    }

    #[test]
    fn errors_name_the_field_at_fault() {
        assert_eq!(field_of(r#"{"name": 1, "lines": []}"#), "name");
        assert_eq!(field_of(r#"{"name": "a", "lines": [{"quantity": 1}, {"quantity": "x"}]}"#), "lines[1].quantity");
        assert_eq!(field_of(r#"{"lines": []}"#), "name");
        assert_eq!(field_of(r#"{"name": "a", "lines": [], "extra": 1}"#), "extra");
    }

    #[test]
    fn broken_json_is_a_bad_request() {
        assert!(matches!(parse::<Req>(b"{\"name\":"), Err(ApiError::BadRequest(_))));
    }
}
