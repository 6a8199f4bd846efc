//! The `command_table!` macro: from one list of command signatures, the Tauri
//! handler, the list of names, and (in tests) each command's description for
//! the generated TypeScript client and the command reference.
//!
//! An entry reads like the function it stands for:
//!
//! ```text
//! /// Doc comment: goes to the TypeScript client and docs/desktop-ipc.md.
//! module::command_name[shell](arg: Type, other: Option<Type>; on_step: Channel<Step>) -> Answer;
//! ```
//!
//! `[shell]` / `[app, shell]` / nothing: what the shell injects (the
//! [`Shell`](crate::state::Shell) state, the app handle); the webview never
//! sends them. After `;`, at most one channel the command streams on (a
//! callback in TypeScript). The macro writes, per entry, a private
//! `#[tauri::command]` that passes its arguments (by the same names, in
//! snake_case on the wire) to `crate::commands::module::command_name`, so the
//! compiler checks the entry against the function: a type or an argument
//! that differs does not build.
//!
//! Why a declarative macro over the table rather than `tauri-specta`: the
//! UI's types are ts-rs bindings shared with the CLI's JSON; specta would
//! need a second derive on every core type and emit a second copy of them.

/// See the module's header.
macro_rules! command_table {
    ($(
        $(#[doc = $doc:literal])*
        $module:ident :: $name:ident $([$($ctx:ident),*])?
            ( $($arg:ident : $ty:ty),* $(; $chan:ident : Channel<$chty:ty>)? ) -> $ret:ty;
    )*) => {
        /// Every command the webview may invoke, in table order.
        pub const NAMES: &[&str] = &[$(stringify!($name)),*];

        $(
            command_table!(@command [$($($ctx),*)?] $module $name
                ($($arg: $ty),*) ($($chan: $chty)?) $ret);
        )*

        /// The handler the app registers: every command of the table.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// Each command's name, arguments and answer, for the generators.
        #[cfg(test)]
        pub fn specs() -> Vec<$crate::command_table::spec::CommandSpec> {
            use $crate::command_table::spec::{CommandSpec, TypeSpec};
            vec![$(CommandSpec {
                name: stringify!($name),
                module: stringify!($module),
                docs: &[$($doc),*],
                args: vec![$((stringify!($arg), TypeSpec::of::<$ty>())),*],
                channel: None$(.or(Some((stringify!($chan), TypeSpec::of::<$chty>()))))?,
                returns: TypeSpec::of::<$ret>(),
            }),*]
        }
    };

    (@command [] $module:ident $name:ident ($($arg:ident : $ty:ty),*)
        ($($chan:ident : $chty:ty)?) $ret:ty) => {
        #[tauri::command(rename_all = "snake_case")]
        async fn $name($($arg: $ty,)* $($chan: tauri::ipc::Channel<$chty>)?)
            -> $crate::ipc::IpcResult<$ret> {
            $crate::commands::$module::$name($($arg,)* $($chan)?).await
        }
    };
    (@command [shell] $module:ident $name:ident ($($arg:ident : $ty:ty),*)
        ($($chan:ident : $chty:ty)?) $ret:ty) => {
        #[tauri::command(rename_all = "snake_case")]
        async fn $name(
            shell: tauri::State<'_, $crate::state::Shell>,
            $($arg: $ty,)*
            $($chan: tauri::ipc::Channel<$chty>)?
        ) -> $crate::ipc::IpcResult<$ret> {
            $crate::commands::$module::$name(&shell, $($arg,)* $($chan)?).await
        }
    };
    (@command [app, shell] $module:ident $name:ident ($($arg:ident : $ty:ty),*)
        ($($chan:ident : $chty:ty)?) $ret:ty) => {
        #[tauri::command(rename_all = "snake_case")]
        async fn $name(
            app: tauri::AppHandle,
            shell: tauri::State<'_, $crate::state::Shell>,
            $($arg: $ty,)*
            $($chan: tauri::ipc::Channel<$chty>)?
        ) -> $crate::ipc::IpcResult<$ret> {
            $crate::commands::$module::$name(&app, &shell, $($arg,)* $($chan)?).await
        }
    };
}

pub(crate) use command_table;
