//! A small blocking HTTP/1.1 client over one keep-alive connection, with the standard library
//! only: for the server's tests, its load test and Rust programs that call a sidecar without an
//! async runtime. It sends exactly what it is given, which lets tests send malformed or slow
//! requests.
//!
//! ```no_run
//! let mut client = unisono_serve::client::Client::connect("127.0.0.1:8080".parse()?)?;
//! let response = client.request("GET", "/healthz", &[], b"")?;
//! assert_eq!(response.status, 200);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// Longest wait for a byte of a response.
const READ_TIMEOUT: Duration = Duration::from_secs(60);

/// A connection to a server.
#[derive(Debug)]
pub struct Client {
    address: SocketAddr,
    stream: Option<BufReader<TcpStream>>,
}

/// A response, read whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The headers, names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The first header named `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Client {
    /// Connects to `address`.
    ///
    /// # Errors
    /// When the connection fails.
    pub fn connect(address: SocketAddr) -> std::io::Result<Client> {
        let mut client = Client {
            address,
            stream: None,
        };
        client.stream()?;
        Ok(client)
    }

    /// The connection, opened again if the server closed it.
    fn stream(&mut self) -> std::io::Result<&mut BufReader<TcpStream>> {
        if self.stream.is_none() {
            let stream = TcpStream::connect(self.address)?;
            stream.set_nodelay(true)?;
            stream.set_read_timeout(Some(READ_TIMEOUT))?;
            self.stream = Some(BufReader::new(stream));
        }
        self.stream
            .as_mut()
            .ok_or_else(|| std::io::Error::other("no connection"))
    }

    /// The raw connection, to send bytes as a test wants them (slowly, or malformed).
    ///
    /// # Errors
    /// When the connection cannot be opened again.
    pub fn raw(&mut self) -> std::io::Result<&mut TcpStream> {
        Ok(self.stream()?.get_mut())
    }

    /// Sends a request with a body (with `Content-Length`) and reads the response.
    /// `headers` are sent as given, after `Host` and `Content-Length`.
    ///
    /// # Errors
    /// When the connection fails or the response is not HTTP/1.1.
    pub fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> std::io::Result<Response> {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\n",
            self.address,
            body.len()
        );
        for (name, value) in headers {
            head.push_str(name);
            head.push_str(": ");
            head.push_str(value);
            head.push_str("\r\n");
        }
        head.push_str("\r\n");
        let result = self.exchange(head.as_bytes(), body);
        if result.is_err() {
            self.stream = None;
        }
        result
    }

    fn exchange(&mut self, head: &[u8], body: &[u8]) -> std::io::Result<Response> {
        let stream = self.stream()?;
        let mut message = Vec::with_capacity(head.len() + body.len());
        message.extend_from_slice(head);
        message.extend_from_slice(body);
        stream.get_mut().write_all(&message)?;
        let response = self.read_response()?;
        if response
            .header("connection")
            .is_some_and(|c| c.eq_ignore_ascii_case("close"))
        {
            self.stream = None;
        }
        Ok(response)
    }

    /// Reads one response from the connection (after bytes sent with [`Client::raw`]).
    ///
    /// # Errors
    /// When the connection fails or closes, or the response is not HTTP/1.1.
    pub fn read_response(&mut self) -> std::io::Result<Response> {
        let stream = self.stream()?;
        let bad =
            |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
        let mut line = String::new();
        if stream.read_line(&mut line)? == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the server closed the connection",
            ));
        }
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse::<u16>().ok())
            .ok_or_else(|| bad("not an HTTP status line"))?;
        let mut headers = Vec::new();
        loop {
            line.clear();
            stream.read_line(&mut line)?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').ok_or_else(|| bad("not a header"))?;
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
        let find = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v): &(String, String)| v.clone())
        };
        let mut body = Vec::new();
        if let Some(length) = find("content-length") {
            let length: usize = length.parse().map_err(|_| bad("bad Content-Length"))?;
            body.resize(length, 0);
            stream.read_exact(&mut body)?;
        } else if find("transfer-encoding").is_some_and(|t| t.eq_ignore_ascii_case("chunked")) {
            loop {
                line.clear();
                stream.read_line(&mut line)?;
                let size =
                    usize::from_str_radix(line.trim(), 16).map_err(|_| bad("bad chunk size"))?;
                let start = body.len();
                body.resize(start + size, 0);
                stream.read_exact(body.get_mut(start..).unwrap_or_default())?;
                line.clear();
                stream.read_line(&mut line)?;
                if size == 0 {
                    break;
                }
            }
        } else {
            stream.read_to_end(&mut body)?;
            self.stream = None;
        }
        Ok(Response {
            status,
            headers,
            body,
        })
    }
}
