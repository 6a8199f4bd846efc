//! stub
use crate::manifest::diagnostic::Diagnostic;
use crate::manifest::parse::Parsed;
use crate::manifest::validate::ValidateOptions;
use crate::catalog::Catalog;
pub fn run(_p: &Parsed<'_>, _c: &Catalog, _o: &ValidateOptions) -> Vec<Diagnostic> { vec![] }
