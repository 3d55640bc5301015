//! A loopback HTTP server for the network providers' tests: STS, the ECS metadata service and
//! credentials URIs are all faked on `127.0.0.1`. It records every request and answers with a
//! handler given the request and its index (0-based, over the server's lifetime).

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One request as the fake received it.
#[derive(Debug, Clone)]
pub(crate) struct Recorded {
    pub(crate) method: String,
    /// Path and query, as sent.
    pub(crate) target: String,
    /// Header names lower-cased.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(&text.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

fn pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

impl Recorded {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    pub(crate) fn query(&self) -> Vec<(String, String)> {
        self.target
            .split_once('?')
            .map(|(_, q)| pairs(q))
            .unwrap_or_default()
    }

    pub(crate) fn query_param(&self, key: &str) -> Option<String> {
        self.query()
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    pub(crate) fn form(&self) -> Vec<(String, String)> {
        pairs(&self.body)
    }

    pub(crate) fn form_param(&self, key: &str) -> Option<String> {
        self.form()
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }
}

/// What the fake does with a request.
pub(crate) enum Reply {
    /// Answers with this status and body.
    Respond(u16, String),
    /// Waits, then answers.
    Delayed(Duration, u16, String),
    /// Never answers (keeps the connection open).
    Hang,
}

pub(crate) fn ok(body: impl Into<String>) -> Reply {
    Reply::Respond(200, body.into())
}

type Handler = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

pub(crate) struct FakeServer {
    url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: JoinHandle<()>,
}

impl FakeServer {
    pub(crate) async fn start(
        handler: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let recorded = Arc::clone(&requests);
        let task = tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    break;
                };
                connections.spawn(serve(stream, Arc::clone(&handler), Arc::clone(&recorded)));
            }
        });
        Self {
            url,
            requests,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`
    pub(crate) fn url(&self) -> String {
        self.url.clone()
    }

    pub(crate) fn hits(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    pub(crate) fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut buffer = Vec::new();
    let mut chunk = [0_u8; 4096];
    let header_end = loop {
        if let Some(pos) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = buffer[header_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Recorded {
        method,
        target,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

async fn serve(mut stream: TcpStream, handler: Arc<Handler>, requests: Arc<Mutex<Vec<Recorded>>>) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let index = {
        let mut requests = requests.lock().unwrap();
        requests.push(request.clone());
        requests.len() - 1
    };
    let (status, body) = match handler(&request, index) {
        Reply::Respond(status, body) => (status, body),
        Reply::Delayed(delay, status, body) => {
            tokio::time::sleep(delay).await;
            (status, body)
        }
        Reply::Hang => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            return;
        }
    };
    let response = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// A loopback URL where nothing listens.
pub(crate) async fn closed_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

/// `YYYY-MM-DDTHH:MM:SSZ`, `seconds` from now (negative: in the past).
pub(crate) fn expiration_in(seconds: i64) -> String {
    let now = SystemTime::now();
    let at = if seconds >= 0 {
        now + Duration::from_secs(seconds.unsigned_abs())
    } else {
        now - Duration::from_secs(seconds.unsigned_abs())
    };
    crate::signing::format_acs_date(at)
}

/// The JSON of temporary credentials, as STS nests it under `Credentials` and as the metadata
/// service and credentials URIs send it at the top level (with `Code`).
pub(crate) fn credentials_json(id: &str, secret: &str, token: &str, expiration: &str) -> String {
    format!(
        r#"{{"AccessKeyId": "{id}", "AccessKeySecret": "{secret}", "SecurityToken": "{token}", "Expiration": "{expiration}"}}"#
    )
}

/// An STS `AssumeRoleWithOIDC` success.
pub(crate) fn sts_body(id: &str, secret: &str, token: &str, expiration: &str) -> String {
    format!(
        r#"{{"RequestId": "R-1", "AssumedRoleUser": {{"Arn": "acs:ram::1:role/r/s", "AssumedRoleId": "1:s"}}, "OIDCTokenInfo": {{"Subject": "system:serviceaccount:ns:sa"}}, "Credentials": {}}}"#,
        credentials_json(id, secret, token, expiration)
    )
}

/// A metadata-service or credentials-URI success.
pub(crate) fn coded_body(id: &str, secret: &str, token: &str, expiration: &str) -> String {
    format!(
        r#"{{"Code": "Success", "LastUpdated": "2025-01-01T00:00:00Z", "AccessKeyId": "{id}", "AccessKeySecret": "{secret}", "SecurityToken": "{token}", "Expiration": "{expiration}"}}"#
    )
}
