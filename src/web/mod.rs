//! `handback serve`: the register in a browser and as a JSON API, from one process that owns
//! the register. Handlers reach the synchronous domain through tokio's blocking pool, so a
//! slow write never holds the async runtime; the store serialises writers and gives each
//! reader its own snapshot.

// A page's refusal is the page that says so: handlers and their helpers return an axum
// `Response` as their error, which is how axum answers one, large as it is.
#![allow(clippy::result_large_err)]

mod api;
mod auth;
mod devices;
mod failure;
mod followup;
mod forms;
mod imports;
mod layout;
mod pages;
mod people;
mod scope;
mod statement;
mod users;
mod words;

use crate::cli::Context;
use anyhow::{Context as _, Result};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use axum::routing::get;
use clap::Args;
use failure::Failure;
use handback::domain::Register;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;

/// Uploads (imports) are capped at this many MiB unless `--max-upload-mib` says otherwise.
const DEFAULT_UPLOAD_MIB: usize = 50;
/// Every other request body (forms, JSON) is capped at this.
const BODY_LIMIT: usize = 1024 * 1024;

#[derive(Debug, Args)]
#[command(after_help = "\
Serves the register to browsers (managers and technicians at many desks) and to scripts
(the JSON API under /api). Accounts come from `handback user add`, API tokens from
`handback token add`. It prints `listening on http://ADDR` to stderr when ready; SIGTERM
or Ctrl-C stop it once the requests in flight have finished.

Examples:
  handback serve
  handback serve --listen 0.0.0.0:8080 --public-url https://utrustning.example.se")]
pub struct ServeArgs {
    /// The address and port to listen on (port 0: any free port)
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    listen: SocketAddr,
    /// The address people reach the server at, when a proxy in front of it serves HTTPS:
    /// an `https` URL makes the session cookie `Secure`
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// Serve HTTPS with this certificate chain (PEM); needs --tls-key
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM)
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// The largest file an import may upload, in MiB
    #[arg(long, default_value_t = DEFAULT_UPLOAD_MIB, value_name = "MIB")]
    max_upload_mib: usize,
    /// Where people report a problem with the service's accessibility (an e-mail address,
    /// a phone number, a form's address), as the accessibility statement shows it
    #[arg(long, value_name = "TEXT", env = "HANDBACK_ACCESSIBILITY_CONTACT")]
    accessibility_contact: Option<String>,
}

/// What every request shares: the register (one store for the whole process) and the
/// sign-in throttle.
#[derive(Clone)]
pub struct App {
    register: Register,
    secure_cookies: bool,
    throttle: Arc<auth::Throttle>,
    uploads: Arc<imports::Uploads>,
    lanes: Arc<Lanes>,
    /// Where to report an accessibility problem, for the accessibility statement.
    accessibility_contact: Option<Arc<str>>,
}

/// Which of the blocking pool's lanes a request's work takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// Reads only: each on a reader of its own.
    Read,
    /// Writes.
    Change,
    /// Signing in: a password hash of tens of milliseconds, then the session written.
    SignIn,
}

/// How many requests may be at work in the blocking pool at once, per lane. Unbounded, a
/// burst of 32 connections starts 32 threads on two cores, which then spend their time
/// switching between each other and waiting on SQLite's locks: throughput drops and the
/// slowest answers take several times the median. A few more than the cores keeps them
/// busy while one waits on the disk. Changes are serialised by the store's writer anyway,
/// so more of them at once only adds waiting threads. Signing in has a lane of its own, so a
/// burst of password hashes delays neither reads nor hand-outs; the throttle bounds it.
struct Lanes {
    reads: tokio::sync::Semaphore,
    changes: tokio::sync::Semaphore,
    sign_ins: tokio::sync::Semaphore,
}

impl Lanes {
    fn for_this_machine() -> Lanes {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Lanes {
            reads: tokio::sync::Semaphore::new(2 * cores),
            changes: tokio::sync::Semaphore::new(cores.max(2)),
            sign_ins: tokio::sync::Semaphore::new(cores),
        }
    }

    fn of(&self, lane: Lane) -> &tokio::sync::Semaphore {
        match lane {
            Lane::Read => &self.reads,
            Lane::Change => &self.changes,
            Lane::SignIn => &self.sign_ins,
        }
    }
}

impl App {
    /// Runs `work` on tokio's blocking pool with the register, once its lane has room; a
    /// task that stopped before it finished (it panicked) is an internal failure, never a
    /// dropped connection.
    async fn on_pool<T: Send + 'static>(
        &self,
        lane: Lane,
        work: impl FnOnce(Register) -> T + Send + 'static,
    ) -> Result<T, Failure> {
        // The lanes are never closed, so acquiring fails only if they were: say so.
        let _room = self
            .lanes
            .of(lane)
            .acquire()
            .await
            .map_err(|closed| Failure::internal(format!("the server is stopping: {closed}")))?;
        let register = self.register.clone();
        tokio::task::spawn_blocking(move || work(register))
            .await
            .map_err(|join| {
                Failure::internal(format!("the request stopped before it finished: {join}"))
            })
    }

    /// Admits the request and runs `work` as its caller, in one trip to the blocking pool:
    /// who the credentials open, whether they may do what is wanted, then the work.
    async fn admitted<T: Send + 'static>(
        &self,
        credentials: auth::Credentials,
        wanted: auth::Wants,
        work: impl FnOnce(Register, &auth::Caller) -> Result<T, Failure> + Send + 'static,
    ) -> Result<T, Failure> {
        self.on_pool(wanted.lane(), move |mut register| {
            let caller = auth::admitted(&mut register, &credentials, &wanted)?;
            work(register.acting_as(&caller.principal.login), &caller)
        })
        .await?
    }
}

pub fn run(ctx: &Context, args: ServeArgs) -> Result<()> {
    let register = ctx.open()?;
    let tls = args.tls_cert.clone().zip(args.tls_key.clone());
    let secure_cookies = tls.is_some()
        || args
            .public_url
            .as_deref()
            .is_some_and(|url| url.trim().to_ascii_lowercase().starts_with("https://"));
    let app = App {
        register,
        secure_cookies,
        throttle: Arc::new(auth::Throttle::default()),
        uploads: Arc::new(imports::Uploads::default()),
        lanes: Arc::new(Lanes::for_this_machine()),
        accessibility_contact: args
            .accessibility_contact
            .as_deref()
            .map(str::trim)
            .filter(|contact| !contact.is_empty())
            .map(Arc::from),
    };
    let upload_limit = args.max_upload_mib.saturating_mul(1024 * 1024);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the server's runtime")?;
    let app = router(app, upload_limit).into_make_service_with_connect_info::<SocketAddr>();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        let address = listener.local_addr()?;
        let Some((cert, key)) = tls else {
            eprintln!("listening on http://{address}");
            return axum::serve(listener, app)
                .with_graceful_shutdown(shutdown_signal())
                .await
                .context("serving");
        };
        let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(&cert, &key)
            .await
            .with_context(|| {
                format!(
                    "cannot read the certificate {} and its key {} (PEM files)",
                    cert.display(),
                    key.display()
                )
            })?;
        let handle = axum_server::Handle::new();
        let stopping = handle.clone();
        tokio::spawn(async move {
            shutdown_signal().await;
            stopping.graceful_shutdown(None);
        });
        eprintln!("listening on https://{address}");
        axum_server::from_tcp_rustls(listener.into_std()?, config)?
            .handle(handle)
            .serve(app)
            .await
            .context("serving")
    })
}

/// Every route, with the headers and body limits every answer gets.
fn router(app: App, upload_limit: usize) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .merge(pages::routes())
        .merge(imports::routes(upload_limit))
        .nest(
            "/api",
            api::routes().merge(imports::api_routes(upload_limit)),
        )
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(header_layer(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'",
        ))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_layer(header::REFERRER_POLICY, "same-origin"))
        .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
        .with_state(app)
}

/// A header every answer gets, unless the handler set its own (a document's policy).
fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// Ctrl-C or SIGTERM: stop accepting, let the requests in flight finish.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    eprintln!("stopping: finishing the requests in flight");
}
