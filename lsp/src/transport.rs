//! The connection over standard input and output. `lsp-server`'s own stdio transport stops
//! reading at the first malformed message, which would end the session; this one reports the
//! message to the client (`window/logMessage`) and reads on, resynchronising at the next
//! `Content-Length` header.

use std::io::{self, BufRead, Read, Write};
use std::thread;

use crossbeam_channel::{bounded, Sender};
use lsp_server::{Connection, Message, Notification};
use lsp_types::{LogMessageParams, MessageType};

/// The threads behind a stdio connection, to join when the server is done.
pub struct IoThreads {
    reader: thread::JoinHandle<io::Result<()>>,
    writer: thread::JoinHandle<io::Result<()>>,
}

impl IoThreads {
    /// Waits for the writer to flush everything; the reader is left to end with standard input
    /// (it may be blocked reading it, and the process is about to exit anyway).
    pub fn join(self) -> io::Result<()> {
        drop(self.reader);
        match self.writer.join() {
            Ok(result) => result,
            Err(_) => Err(io::Error::other("the LSP writer thread panicked")),
        }
    }
}

/// A connection over this process's standard input and output.
pub fn stdio() -> io::Result<(Connection, IoThreads)> {
    let (writer_sender, writer_receiver) = bounded::<Message>(0);
    let writer = thread::Builder::new().name("ward-lsp-writer".into()).spawn(move || {
        let stdout = io::stdout();
        let mut stdout = stdout.lock();
        for message in writer_receiver {
            message.write(&mut stdout)?;
            stdout.flush()?;
        }
        Ok(())
    })?;
    let (reader_sender, reader_receiver) = bounded::<Message>(0);
    let log = writer_sender.clone();
    let reader = thread::Builder::new().name("ward-lsp-reader".into()).spawn(move || {
        let stdin = io::stdin();
        read_messages(stdin.lock(), &reader_sender, &log)
    })?;
    Ok((Connection { sender: writer_sender, receiver: reader_receiver }, IoThreads { reader, writer }))
}

/// Reads framed messages from `input` and passes them on to `messages` until the input ends
/// or `exit` arrives. A frame that cannot be read as a message is reported on `log` (as a
/// `window/logMessage` notification to the client) and skipped.
pub fn read_messages(mut input: impl BufRead, messages: &Sender<Message>, log: &Sender<Message>) -> io::Result<()> {
    loop {
        let body = match read_frame(&mut input)? {
            Frame::End => return Ok(()),
            Frame::Malformed(problem) => {
                report(log, problem);
                continue;
            }
            Frame::Body(body) => body,
        };
        match serde_json::from_slice::<Message>(&body) {
            Ok(message) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if messages.send(message).is_err() || exit {
                    return Ok(());
                }
            }
            Err(error) => report(log, format!("ward lsp ignored a message that is not JSON-RPC: {error}")),
        }
    }
}

fn report(log: &Sender<Message>, problem: String) {
    let params = LogMessageParams { typ: MessageType::WARNING, message: problem };
    if let Ok(params) = serde_json::to_value(params) {
        // Best effort: if the writer is gone, so is the client.
        let _ = log.send(Message::Notification(Notification { method: "window/logMessage".into(), params }));
    }
}

enum Frame {
    Body(Vec<u8>),
    Malformed(String),
    End,
}

/// Reads one `Content-Length`-framed body. Header lines other than `Content-Length` are
/// ignored; a header block without a length, or with one that is not a number, is malformed.
fn read_frame(input: &mut impl BufRead) -> io::Result<Frame> {
    /// Larger bodies are refused rather than allocated.
    const MAX_BODY: usize = 64 * 1024 * 1024;
    let mut length: Option<Result<usize, String>> = None;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(Frame::End);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            match length.take() {
                Some(Ok(length)) if length <= MAX_BODY => break read_body(input, length),
                Some(Ok(length)) => return Ok(Frame::Malformed(format!("message of {length} bytes refused"))),
                Some(Err(problem)) => return Ok(Frame::Malformed(problem)),
                None => continue, // blank lines between messages
            }
        }
        match header.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                length = Some(
                    value.trim().parse::<usize>().map_err(|_| format!("malformed Content-Length header {header:?}")),
                );
            }
            Some(_) => {}
            None => length = Some(Err(format!("malformed LSP header {header:?}"))),
        }
    }
}

fn read_body(input: &mut impl BufRead, length: usize) -> io::Result<Frame> {
    let mut body = Vec::new();
    input.take(length as u64).read_to_end(&mut body)?;
    if body.len() < length {
        return Ok(Frame::End);
    }
    Ok(Frame::Body(body))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crossbeam_channel::Receiver;

    /// For tests: a reader fed from `input`, its messages on the returned receiver, and what it
    /// reported on the other.
    fn read_all(input: &[u8]) -> (Vec<Message>, Vec<Message>) {
        let (messages, received) = crossbeam_channel::unbounded();
        let (log, logged) = crossbeam_channel::unbounded();
        // An I/O error cannot happen on a byte slice; what was read until then is returned.
        let _ = read_messages(input, &messages, &log);
        drop((messages, log));
        (collect(received), collect(logged))
    }

    fn collect(receiver: Receiver<Message>) -> Vec<Message> {
        receiver.try_iter().collect()
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn malformed_messages_are_reported_and_skipped() {
        let good = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let cases = [
            ("a body that is not JSON", frame("{not json")),
            ("JSON that is not JSON-RPC", frame(r#"{"jsonrpc":"2.0","x":1}"#)),
            ("a header that is not a header", "garbage line\r\n\r\n".to_owned()),
            ("a length that is not a number", "Content-Length: ten\r\n\r\n".to_owned()),
        ];
        for (name, bad) in cases {
            let input = format!("{bad}{}", frame(good));
            let (messages, logged) = read_all(input.as_bytes());
            assert_eq!(messages.len(), 1, "{name}: the next message still arrives");
            assert!(matches!(&messages[0], Message::Request(r) if r.method == "shutdown"), "{name}");
            assert_eq!(logged.len(), 1, "{name}: the client is told");
        }
    }

    #[test]
    fn reading_stops_at_exit_and_at_a_truncated_body() {
        let input =
            format!("{}{}", frame(r#"{"jsonrpc":"2.0","method":"exit"}"#), frame(r#"{"jsonrpc":"2.0","method":"x"}"#));
        assert_eq!(read_all(input.as_bytes()).0.len(), 1);
        let (messages, logged) = read_all(b"Content-Length: 100\r\n\r\n{}");
        assert!(messages.is_empty() && logged.is_empty());
    }
}
