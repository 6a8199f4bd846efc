//! "Did you mean …?" for names users mistype: permissions, fields, viewports, events.
//!
//! Uses normalized Damerau-Levenshtein (strsim) with a cut-off so unrelated names
//! are never suggested; the bar is loose enough to catch a plural
//! (`customers_read`) or a transposition (`craeted`).

/// The candidate closest to `input`, if it is close enough to be a plausible typo.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input_l = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::normalized_damerau_levenshtein(&input_l, &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score >= 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_plural_and_typo_but_not_unrelated() {
        let names = ["customer_read", "customer_write", "invoice_read"];
        assert_eq!(closest("customers_read", names), Some("customer_read"));
        assert_eq!(closest("invoce_read", names), Some("invoice_read"));
        assert_eq!(closest("zebra", names), None);
    }
}
