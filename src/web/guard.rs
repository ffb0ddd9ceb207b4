//! The safety layer in front of every route.
//!
//! - Host check: only the names this server is reached by (loopback names,
//!   the bound address, `--allow-host`), so a DNS-rebinding page cannot talk
//!   to it.
//! - Access token: off loopback every request needs the `senco_access`
//!   cookie, set once by the printed login link (HttpOnly, SameSite=Strict).
//! - CSRF: a per-session random token in the `senco_csrf` cookie, which every
//!   form repeats in a hidden field (checked by `forms`), and every POST must
//!   come from this origin (Origin and Sec-Fetch-Site headers).
//! - Headers: a Content-Security-Policy that allows no script but our own
//!   file and nothing external; no framing, no sniffing, no caching of
//!   record pages.

use super::Shared;
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;
use std::net::SocketAddr;

/// The policy of every application page: our stylesheet, no script at all,
/// forms only to ourselves.
pub const PAGE_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
                            frame-ancestors 'none'; base-uri 'none'";

/// Documents are self-contained files with their own inline CSS (so they
/// print and save as one file): inline style, still no script.
pub const DOCUMENT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; \
                                frame-ancestors 'none'; base-uri 'none'";

pub const CSRF_COOKIE: &str = "senco_csrf";
pub const ACCESS_COOKIE: &str = "senco_access";

/// The session of a request: its CSRF token.
#[derive(Clone, Debug)]
pub struct Session {
    pub csrf: String,
}

/// 128 random bits as hex, from the operating system.
pub fn random_token() -> String {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    let from_os = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes)).is_ok();
    if !from_os {
        // No /dev/urandom (Windows): the standard library's per-process random keys.
        use std::hash::{BuildHasher, Hasher};
        for chunk in bytes.chunks_mut(8) {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos(),
            );
            chunk.copy_from_slice(&h.finish().to_le_bytes()[..chunk.len()]);
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The Host header values accepted: names (lowercase) and the port, if known.
pub fn allowed_hosts(bound: Option<SocketAddr>, extra: &[String]) -> Vec<String> {
    let mut names: Vec<String> = vec!["localhost".into(), "127.0.0.1".into(), "[::1]".into()];
    if let Some(addr) = bound.filter(|a| !a.ip().is_unspecified()) {
        names.push(match addr.ip() {
            std::net::IpAddr::V6(v6) => format!("[{v6}]"),
            ip => ip.to_string(),
        });
    }
    names.extend(extra.iter().map(|h| h.trim().to_ascii_lowercase()));
    let mut out = Vec::new();
    for n in names {
        match bound {
            Some(a) => out.push(format!("{n}:{}", a.port())),
            None => out.push(n.clone()),
        }
        out.push(n);
    }
    out.sort();
    out.dedup();
    out
}

/// Whether a Host header names this server (without a known port, any port
/// of an allowed name).
pub fn host_ok(allowed: &[String], host: &str, port_known: bool) -> bool {
    let host = host.trim().to_ascii_lowercase();
    if allowed.contains(&host) {
        return true;
    }
    if port_known {
        return false;
    }
    let name = match host.rfind(':') {
        Some(i) if !host.ends_with(']') => &host[..i],
        _ => host.as_str(),
    };
    allowed.iter().any(|a| a == name)
}

/// Whether a Host header is an IP address (v4, or v6 in brackets) with `port`.
pub fn ip_host(host: &str, port: Option<u16>) -> bool {
    let Some(port) = port else { return false };
    host.trim().parse::<SocketAddr>().is_ok_and(|a| a.port() == port)
}

/// One cookie's value from the Cookie header.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

fn refuse(status: StatusCode, message: &str) -> Response {
    plain_page(status, "Refused", message)
}

/// A page of the guard's own (no template: nothing of the records is read).
fn plain_page(status: StatusCode, title: &str, message: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>senco: {}</title></head>\
         <body><main><h1>{}</h1><p>{}</p></main></body></html>",
        super::html::escape(&title.to_lowercase()),
        super::html::escape(title),
        super::html::escape(message)
    );
    let mut r = (status, body).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    secure(r.headers_mut());
    r
}

/// Whether a POST comes from a page of this server: its Origin is this
/// server's, or (a browser that sends none) its Referer is a page of this
/// server. A POST with neither is refused: every browser our pages serve
/// sends one of them (our Referrer-Policy is `same-origin`).
fn same_origin(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let expected = [format!("http://{host}"), format!("https://{host}")];
    let origin = headers.get(header::ORIGIN).map(|v| v.to_str().unwrap_or("\u{0}"));
    let referer = headers.get(header::REFERER).map(|v| v.to_str().unwrap_or("\u{0}"));
    let ours = match (origin, referer) {
        (Some(o), _) => expected.iter().any(|e| e.eq_ignore_ascii_case(o)),
        (None, Some(r)) => expected
            .iter()
            .any(|e| r.get(..e.len()).is_some_and(|p| p.eq_ignore_ascii_case(e)) && r[e.len()..].starts_with('/')),
        (None, None) => false,
    };
    if !ours {
        return false;
    }
    match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        Some(site) => site == "same-origin" || site == "none",
        None => true,
    }
}

/// The headers every answer carries, refusals included.
fn secure(h: &mut HeaderMap) {
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PAGE_CSP));
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

pub async fn guard(State(app): State<Shared>, mut req: Request, next: Next) -> Response {
    let headers = req.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    if !(host_ok(&app.hosts, host, app.port_known) || app.any_ip && ip_host(host, app.port)) {
        return refuse(
            StatusCode::MISDIRECTED_REQUEST,
            "This address is not one senco serves. Open the address senco serve printed, or start it with \
             --allow-host NAME for the name you use.",
        );
    }
    let path = req.uri().path().to_string();
    if let Some(token) = &app.opts.token {
        let has = cookie(headers, ACCESS_COOKIE).is_some_and(|c| same_secret(&c, token));
        if !has && path != "/login" {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "Log in with the link senco serve printed when it started (it holds the access token).",
            );
        }
    }
    let is_post = req.method() == Method::POST;
    if is_post && !same_origin(headers) {
        return refuse(StatusCode::FORBIDDEN, "This form was sent from another web site, so nothing was changed.");
    }
    if is_post && app.opts.readonly && path != "/logout" {
        return refuse(StatusCode::FORBIDDEN, "senco serve runs read-only here, so nothing was changed.");
    }
    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::POST) {
        return refuse(StatusCode::METHOD_NOT_ALLOWED, "Only pages and forms are served here.");
    }
    let existing = cookie(headers, CSRF_COOKIE).filter(|c| c.len() == 32 && c.bytes().all(|b| b.is_ascii_hexdigit()));
    let fresh = existing.is_none();
    let csrf = existing.unwrap_or_else(random_token);
    req.extensions_mut().insert(Session { csrf: csrf.clone() });
    let started = std::time::Instant::now();
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    // The server's own time for the page (benches/serve.py reads it).
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Ok(v) = HeaderValue::from_str(&format!("app;dur={ms:.2}")) {
        h.insert("server-timing", v);
    }
    if fresh {
        if let Ok(v) = HeaderValue::from_str(&format!("{CSRF_COOKIE}={csrf}; Path=/; HttpOnly; SameSite=Strict")) {
            h.append(header::SET_COOKIE, v);
        }
    }
    secure(h);
    resp
}

/// `/login?token=...`: sets the access cookie and goes to the dashboard.
pub async fn login(State(app): State<Shared>, Query(q): Query<HashMap<String, String>>) -> Response {
    let Some(token) = &app.opts.token else { return Redirect::to("/").into_response() };
    match q.get("token") {
        Some(given) if same_secret(given, token) => {
            let mut r = Redirect::to("/").into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("{ACCESS_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"))
            {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            r
        }
        _ => refuse(StatusCode::UNAUTHORIZED, "This login link is not the one senco serve printed."),
    }
}

/// Forgets the access cookie on this browser.
pub async fn logout() -> Response {
    let mut r = plain_page(StatusCode::OK, "Logged out", "Open the login link senco serve printed to come back.");
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("senco_access=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        let bound: SocketAddr = "127.0.0.1:8411".parse().unwrap();
        let ok = allowed_hosts(Some(bound), &["senco.school.example".into()]);
        assert!(host_ok(&ok, "127.0.0.1:8411", true));
        assert!(host_ok(&ok, "LOCALHOST:8411", true));
        assert!(host_ok(&ok, "senco.school.example", true));
        assert!(!host_ok(&ok, "evil.example:8411", true));
        assert!(!host_ok(&ok, "127.0.0.1:9999", true));
        assert!(!host_ok(&ok, "", true));
        assert!(ip_host("192.0.2.7:8411", Some(8411)) && ip_host("[2001:db8::7]:8411", Some(8411)));
        assert!(!ip_host("192.0.2.7:9999", Some(8411)) && !ip_host("evil.example:8411", Some(8411)));
        assert!(!ip_host("192.0.2.7", Some(8411)));
        let any_port = allowed_hosts(None, &[]);
        assert!(host_ok(&any_port, "localhost:1234", false));
        assert!(!host_ok(&any_port, "rebind.example:1234", false));
    }

    #[test]
    fn tokens_are_random_hex() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(same_secret(&a, &a.clone()) && !same_secret(&a, &b) && !same_secret(&a, ""));
    }
}
