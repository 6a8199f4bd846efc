//! What the command table says about each command, as data: names, docs, and
//! each argument's and answer's TypeScript type as ts-rs spells it, with the
//! bindings it needs imported. The generators (`typescript.rs`,
//! `reference.rs`) render it.
//!
//! Invariant: TypeScript names come from ts-rs only (never a hand mapping),
//! so the client and `ui/src/bindings` cannot disagree on a type. Integers
//! are `number`, as in every binding (`#[ts(type = "number")]`): the IPC is
//! JSON, whose numbers JavaScript reads as doubles.

use std::any::TypeId;
use std::collections::BTreeMap;

use ts_rs::{Config, Dependency, TypeVisitor, TS};

/// One command of the table.
pub struct CommandSpec {
    pub name: &'static str,
    /// The module of `crate::commands` holding its logic.
    pub module: &'static str,
    /// Its doc comment, one entry per line (each with its leading space).
    pub docs: &'static [&'static str],
    pub args: Vec<(&'static str, TypeSpec)>,
    /// The channel it streams on, and what each message is.
    pub channel: Option<(&'static str, TypeSpec)>,
    pub returns: TypeSpec,
}

/// A Rust type as the webview sees it.
pub struct TypeSpec {
    /// The TypeScript type (`ManifestState`, `string | null`, `Array<Endpoint>`).
    pub ts: String,
    /// `Option<_>`: the argument may be left out.
    pub optional: bool,
    /// `()`: the command answers nothing.
    pub unit: bool,
    /// The Rust type's name, for the check that no secret type is returned.
    pub rust: &'static str,
    /// The bindings to import: TypeScript name → file under `ui/src/bindings`.
    pub imports: BTreeMap<String, String>,
}

/// Records every exportable type a visitor reaches.
struct Imports<'a>(&'a Config, &'a mut BTreeMap<String, String>);

impl TypeVisitor for Imports<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if let Some(dep) = Dependency::from_ty::<T>(self.0) {
            let file = dep.output_path.with_extension("");
            self.1
                .insert(dep.ts_name, file.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// The ts-rs settings of the client: the export dir of `.cargo/config.toml`,
/// integers as `number`.
pub fn config() -> Config {
    Config::from_env().with_large_int("number")
}

impl TypeSpec {
    pub fn of<T: TS + 'static>() -> Self {
        let cfg = config();
        let mut imports = BTreeMap::new();
        let mut visitor = Imports(&cfg, &mut imports);
        // The type itself when it is a binding, and the bindings it is made
        // of as a generic (`Option<ProjectInfo>`, `Vec<Endpoint>`).
        visitor.visit::<T>();
        T::visit_generics(&mut visitor);
        Self {
            ts: T::name(&cfg),
            optional: T::IS_OPTION,
            unit: TypeId::of::<T>() == TypeId::of::<()>(),
            rust: std::any::type_name::<T>(),
            imports,
        }
    }
}
