//! The preview server of `odp serve`: HTTP/1.1 on std's `TcpListener`, a thread per
//! connection, `Connection: close`. A local preview for one editor needs GET/HEAD of files, a
//! few redirects and one long-lived event stream; std does that in ~250 lines we control
//! (no async runtime, no buffered chunked writer that would hold back server-sent events).
//!
//! Every HTML response gets the live-reload script (and, while the last build failed, the
//! error overlay) injected here, at serve time, so built output never contains them.

use super::ServeState;
use super::host::{Answer, Rules};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Where the browser listens for rebuilds (server-sent events).
pub const EVENTS: &str = "/__odp/events";

/// Accepts connections forever, one thread each.
pub fn serve(listener: TcpListener, state: Arc<ServeState>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let state = state.clone();
        std::thread::spawn(move || {
            let _ = handle(stream, &state);
        });
    }
}

struct Request {
    method: String,
    path: String,
    query: String,
}

fn read_request(stream: &TcpStream) -> std::io::Result<Option<Request>> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.take(64 * 1024));
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else { return Ok(None) };
    // Headers are read and dropped: nothing here depends on them.
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
    }
    let target = target.split('#').next().unwrap_or("");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    Ok(Some(Request { method: method.to_string(), path: path.to_string(), query: query.to_string() }))
}

fn handle(mut stream: TcpStream, state: &ServeState) -> std::io::Result<()> {
    let Some(req) = read_request(&stream)? else { return Ok(()) };
    if req.method != "GET" && req.method != "HEAD" {
        return respond(&mut stream, 405, &[("Allow".into(), "GET, HEAD".into())], b"method not allowed\n", false);
    }
    let head = req.method == "HEAD";
    if req.path == EVENTS {
        return events(stream, state);
    }
    let (site, generation, errors) = state.snapshot();
    let Some(site) = site else {
        // No build has succeeded yet: every page is the overlay.
        let body = inject(b"<!doctype html><title>odp serve</title><body></body>", generation, errors.as_deref());
        return respond(&mut stream, 503, &html_type(), &body, head);
    };
    let rules: &Rules = &site.rules;
    let mut headers = Vec::new();
    let (status, body_file) = match rules.resolve(&site.dir, &req.path, &req.query) {
        Answer::File { status, file } => (status, Some(file)),
        Answer::NotFound { page } => (404, page),
        Answer::Redirect { status, location } => {
            headers.push(("Location".to_string(), location));
            (status, None)
        }
        Answer::Unsupported { why } => {
            return respond(
                &mut stream,
                502,
                &[("Content-Type".into(), "text/plain; charset=utf-8".into())],
                why.as_bytes(),
                head,
            );
        }
    };
    let mut body = match &body_file {
        Some(f) => std::fs::read(f).unwrap_or_default(),
        None => Vec::new(),
    };
    if let Some(f) = &body_file {
        headers.push(("Content-Type".to_string(), content_type(f).to_string()));
    }
    // `_headers` applies to the requested path; it may replace the content type.
    for (name, value) in rules.headers_for(&req.path) {
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        headers.push((name, value));
    }
    let is_html = headers.iter().any(|(n, v)| n.eq_ignore_ascii_case("content-type") && v.starts_with("text/html"));
    if is_html {
        body = inject(&body, generation, errors.as_deref());
    }
    headers.push(("Cache-Control".to_string(), "no-store".to_string()));
    respond(&mut stream, status, &headers, &body, head)
}

fn html_type() -> Vec<(String, String)> {
    vec![("Content-Type".into(), "text/html; charset=utf-8".into())]
}

fn respond(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    head: bool,
) -> std::io::Result<()> {
    let mut out =
        format!("HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n", reason(status), body.len());
    for (n, v) in headers {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    out.push_str("\r\n");
    stream.write_all(out.as_bytes())?;
    if !head {
        stream.write_all(body)?;
    }
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        404 => "Not Found",
        405 => "Method Not Allowed",
        410 => "Gone",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// The stream of rebuild signals: first `event: hello` with `{"generation": n}`, then
/// `event: reload` with `{"generation": n, "pages": ["/datasets/x/", …]}` each time pages
/// change (`"pages": null`: every page, e.g. after a failed build or a theme edit). A page
/// reloads itself only when its own path is listed; a comment every 15 s notices closed
/// browsers.
fn events(mut stream: TcpStream, state: &ServeState) -> std::io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 300\n\n",
    )?;
    let (_, mut seen, _) = state.snapshot();
    // The page's own generation is checked by the script against this first message.
    let data = serde_json::json!({ "generation": seen });
    stream.write_all(format!("event: hello\ndata: {data}\n\n").as_bytes())?;
    stream.flush()?;
    loop {
        match state.wait_for_build(seen, Duration::from_secs(15)) {
            Some(generation) => {
                let pages = state.changed_since(seen, generation);
                seen = generation;
                let data = serde_json::json!({ "generation": generation, "pages": pages });
                stream.write_all(format!("event: reload\ndata: {data}\n\n").as_bytes())?;
            }
            None => stream.write_all(b": ping\n\n")?,
        }
        stream.flush()?;
    }
}

/// The content type of a served file by extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "jsonld" => "application/ld+json; charset=utf-8",
        "ttl" => "text/turtle; charset=utf-8",
        other => crate::deploy::content_type(other).unwrap_or("application/octet-stream"),
    }
}

/// Adds the live-reload script, and the error overlay when `errors` is set, before `</body>`.
pub fn inject(html: &[u8], generation: u64, errors: Option<&str>) -> Vec<u8> {
    // `hello` from another generation (the server restarted, or a build ended while this page
    // loaded): reload. `reload`: only if this page is among the changed ones, else remember the
    // generation, so a reconnecting stream does not reload an up-to-date page.
    let mut extra = format!(
        "<script>(()=>{{let g={generation};const es=new EventSource(\"{EVENTS}\");\
         const here=decodeURI(location.pathname).replace(/index\\.html$/,\"\");\
         const go=e=>{{const m=JSON.parse(e.data);if(m.generation===g)return;\
         if(e.type===\"hello\"||m.pages===null||m.pages.includes(here)){{es.close();location.reload();}}else g=m.generation;}};\
         es.addEventListener(\"hello\",go);es.addEventListener(\"reload\",go);}})();</script>"
    );
    if let Some(errors) = errors {
        extra.push_str(&overlay(errors));
    }
    let pos = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..pos]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[pos..]);
    out
}

/// The error overlay: the build's messages, escaped, over the last good page.
pub fn overlay(errors: &str) -> String {
    format!(
        "<div id=\"odp-overlay\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;\
         background:rgba(20,20,20,.93);color:#fff;font:14px/1.5 ui-monospace,monospace;padding:2rem\">\
         <p style=\"font:bold 18px/1.4 system-ui,sans-serif;margin:0 0 1rem\">Bản dựng lỗi — the build failed \
         (trang dưới đây là bản dựng tốt gần nhất / the page below is the last good build)</p>\
         <pre style=\"white-space:pre-wrap;margin:0;padding:1rem;background:#111;color:#ffd0d0;border:0\">{}</pre></div>",
        escape(errors)
    )
}

/// HTML text escaping (agency text ends up in messages: it must stay text).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_escapes_messages_and_script_goes_before_body_end() {
        let html = b"<html><body><p>x</p></body></html>";
        let out =
            String::from_utf8(inject(html, 3, Some("a.toml:1:2: error[E0101]: <script>alert(1)</script> & \"q\"")))
                .unwrap();
        assert!(out.starts_with("<html><body><p>x</p><script>(()=>{let g=3;"), "{out}");
        assert!(out.ends_with("</div></body></html>"), "{out}");
        assert!(
            out.contains("a.toml:1:2: error[E0101]: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;</pre>")
        );
        assert!(!out.contains("<script>alert"));
        let clean = String::from_utf8(inject(html, 3, None)).unwrap();
        assert!(!clean.contains("odp-overlay"));
    }
}
