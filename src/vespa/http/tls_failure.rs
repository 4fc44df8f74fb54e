//! TLS failures, told apart and explained: which rustls error ended a request (hyper and h2
//! pass a failed read up as text only, so the TLS stream's own error is kept as it happens),
//! whether retrying could help, and what it means for the person running the command. Both
//! Vespa endpoints report TLS failures this way.

use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

/// `TLS handshake with `authority` failed: <error> (<what it means>)`.
pub fn message(authority: &str, tls: &rustls::Error) -> String {
    format!(
        "TLS handshake with `{authority}` failed: {tls}{}",
        explain(tls)
    )
}

/// An error and its sources, `a: b: c`, skipping a source whose text is already shown (hyper
/// and h2 often repeat their cause in their own message).
pub fn causes(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let shown = cause.to_string();
        if !text.contains(&shown) {
            text.push_str(": ");
            text.push_str(&shown);
        }
        source = cause.source();
    }
    text
}

/// The rustls error in `err`'s chain, itself or inside an `io::Error` (as tokio-rustls wraps it).
pub fn rustls_cause<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut next = Some(err);
    while let Some(e) = next {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        if let Some(inner) = e
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
            && let Some(tls) = rustls_cause(inner)
        {
            return Some(tls);
        }
        next = e.source();
    }
    None
}

/// A TLS stream that keeps the first rustls error it meets, for the connection that reads it.
pub struct Watched<T> {
    pub inner: T,
    pub tls_failure: Arc<OnceLock<rustls::Error>>,
}

impl<T> Watched<T> {
    fn watch<R>(&self, poll: Poll<std::io::Result<R>>) -> Poll<std::io::Result<R>> {
        if let Poll::Ready(Err(err)) = &poll
            && let Some(tls) = rustls_cause(err)
        {
            let _ = self.tls_failure.set(tls.clone());
        }
        poll
    }
}

impl<T: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for Watched<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_read(cx, buf);
        self.watch(poll)
    }
}

impl<T: tokio::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for Watched<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.watch(poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.watch(poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_flush(cx);
        self.watch(poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_shutdown(cx);
        self.watch(poll)
    }
}

/// Whether retrying cannot fix this TLS failure: a certificate (ours or the server's) was not
/// accepted, or the two sides share no protocol.
pub fn is_permanent(err: &rustls::Error) -> bool {
    use rustls::AlertDescription as Alert;
    match err {
        rustls::Error::InvalidCertificate(_)
        | rustls::Error::NoCertificatesPresented
        | rustls::Error::UnsupportedNameType
        | rustls::Error::PeerIncompatible(_)
        | rustls::Error::NoApplicationProtocol => true,
        rustls::Error::AlertReceived(alert) => matches!(
            alert,
            Alert::BadCertificate
                | Alert::UnsupportedCertificate
                | Alert::CertificateRevoked
                | Alert::CertificateExpired
                | Alert::CertificateUnknown
                | Alert::CertificateRequired
                | Alert::UnknownCA
                | Alert::AccessDenied
                | Alert::DecryptError
                | Alert::HandshakeFailure
                | Alert::ProtocolVersion
                | Alert::InsufficientSecurity
                | Alert::NoApplicationProtocol
        ),
        _ => false,
    }
}

/// What a TLS failure means for the person running the command, in brackets, or nothing.
pub fn explain(err: &rustls::Error) -> &'static str {
    use rustls::AlertDescription as Alert;
    use rustls::CertificateError as Cert;
    match err {
        rustls::Error::InvalidCertificate(cert) => match cert {
            Cert::UnknownIssuer => " (the server's certificate is not signed by a trusted CA)",
            Cert::NotValidForName | Cert::NotValidForNameContext { .. } => {
                " (the server's certificate is not valid for this host name)"
            }
            Cert::Expired | Cert::ExpiredContext { .. } => {
                " (the server's certificate has expired)"
            }
            _ => " (the server's certificate was not accepted)",
        },
        rustls::Error::AlertReceived(Alert::CertificateRequired) => {
            " (the server requires a client certificate)"
        }
        rustls::Error::AlertReceived(
            Alert::BadCertificate
            | Alert::UnsupportedCertificate
            | Alert::CertificateRevoked
            | Alert::CertificateExpired
            | Alert::CertificateUnknown
            | Alert::UnknownCA
            | Alert::AccessDenied,
        ) => " (the server did not accept the client certificate)",
        rustls::Error::AlertReceived(Alert::DecryptError) => {
            " (the server could not verify the client certificate's signature)"
        }
        rustls::Error::NoApplicationProtocol
        | rustls::Error::AlertReceived(Alert::NoApplicationProtocol) => {
            " (the server does not offer HTTP/2 over TLS, ALPN `h2`)"
        }
        _ => "",
    }
}
