//! `HTTP_PROXY` and `NO_PROXY` are honoured. This file holds a single test because it sets
//! process environment variables; every connection stays on loopback (the proxy is a local
//! listener, so the service's host name is never resolved or contacted).

#![allow(deprecated)]

use acs_cs20151215::{Client, Credentials};
use acs_runtime::test_server::TestServer;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

#[tokio::test]
async fn proxies_from_the_environment_are_used_except_for_no_proxy_hosts() {
    let proxy = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    // SAFETY: this test binary runs this one test; no other thread reads the environment yet.
    unsafe {
        std::env::set_var("HTTP_PROXY", &proxy_url);
        std::env::set_var("NO_PROXY", "127.0.0.1");
    }
    let seen = tokio::spawn(async move {
        let (mut socket, _) = proxy.accept().await.unwrap();
        let mut head = Vec::new();
        let mut buf = [0u8; 4096];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            head.extend_from_slice(&buf[..n]);
        }
        let body = br#"{"task_id":"T-proxy"}"#;
        let reply = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        socket.write_all(reply.as_bytes()).await.unwrap();
        socket.write_all(body).await.unwrap();
        String::from_utf8_lossy(&head)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned()
    });
    let credentials = Credentials::new("LTAI-test", "secret");
    let via_proxy = Client::builder()
        .endpoint("http://cs.cn-hangzhou.aliyuncs.com")
        .credentials(credentials.clone())
        .build()
        .unwrap();
    let response = via_proxy
        .scale_out_cluster()
        .cluster_id("c-1")
        .key_pair("k")
        .send()
        .await
        .unwrap();
    assert_eq!(response.task_id.as_deref(), Some("T-proxy"));
    assert_eq!(
        seen.await.unwrap(),
        "POST http://cs.cn-hangzhou.aliyuncs.com/api/v2/clusters/c-1 HTTP/1.1"
    );

    // 127.0.0.1 is in NO_PROXY: straight to the server.
    let server = TestServer::start([("LTAI-test", "secret")]).await.unwrap();
    let direct = Client::builder()
        .endpoint(server.endpoint())
        .credentials(credentials)
        .build()
        .unwrap();
    direct
        .scale_out_cluster()
        .cluster_id("c-1")
        .key_pair("k")
        .send()
        .await
        .unwrap();
    assert_eq!(server.request_count(), 1);
}
