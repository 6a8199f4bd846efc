//! One module per area, one `run`-style function per verb: `fn(ctx, opts) -> Exit`.
//!
//! Why: like the GitHub CLI, argv parsing (`cli.rs`) and behaviour are separate,
//! so verbs are unit-tested with a [`Ctx`] over buffers. This file only routes.

pub mod manifest;
pub mod permissions;

use std::io;

use appdeck_core::manifest::ManifestEdit;

use crate::cli::{
    Command, GrantCommand, ManifestCommand, PermissionsCommand, RevokeCommand, SetCommand,
};
use crate::context::Ctx;
use crate::exit::Exit;
use manifest::edit;

pub fn dispatch(ctx: &mut Ctx<'_>, command: Command) -> io::Result<Exit> {
    match command {
        Command::Manifest(m) => match m {
            ManifestCommand::Validate(opts) => manifest::validate::run(ctx, opts),
            ManifestCommand::Grant(g) => edit::run(
                ctx,
                match g {
                    GrantCommand::Permission(a) => a.into_opts(),
                    GrantCommand::Url(a) => a.into_opts(),
                    GrantCommand::ImageUrl(a) => {
                        a.into_opts(|url| ManifestEdit::GrantImageSrc { url })
                    }
                },
            ),
            ManifestCommand::Revoke(r) => edit::run(
                ctx,
                match r {
                    RevokeCommand::Permission(a) => a.into_opts(),
                    RevokeCommand::ConnectSrc(a) => {
                        a.into_opts(|url| ManifestEdit::RevokeConnectSrc { url })
                    }
                    RevokeCommand::ImageUrl(a) => {
                        a.into_opts(|url| ManifestEdit::RevokeImageSrc { url })
                    }
                },
            ),
            ManifestCommand::Set(s) => edit::run(
                ctx,
                match s {
                    SetCommand::Distribution(a) => a.into_opts(),
                    SetCommand::AccessType(a) => a.into_opts(),
                },
            ),
        },
        Command::Permissions(p) => match p {
            PermissionsCommand::List(opts) => permissions::list(ctx, opts),
            PermissionsCommand::ForEvents(opts) => permissions::for_events(ctx, opts),
        },
    }
}
