//! Languages (`Lang` tags and `Accept-Language`), the amount and digit formatters, and
//! the appearance values the backend writes into the widget's page.

use proptest::prelude::*;
use shared::appearance::{Kind, MAX_VALUE_LEN, plainly_valid};
use shared::text::{self, Lang};

const LANGS: [Lang; 3] = [Lang::Nb, Lang::Nn, Lang::En];

/// One `Accept-Language` entry: a tag we may or may not speak, and its weight in thousandths.
fn entry() -> impl Strategy<Value = (&'static str, Option<u16>)> {
    (
        prop::sample::select(vec![
            "nb", "no-NO", "nn", "nn-NO", "en", "en-GB", "de", "sv-SE", "*",
        ]),
        prop::option::of(0..=1000u16),
    )
}

/// The weight `entries` give `tag`'s language in a header, as a model: weight 1000
/// without `q`, the first entry of the highest positive weight wins.
fn model(entries: &[(&str, Option<u16>)]) -> Option<Lang> {
    let mut best: Option<(Lang, u16)> = None;
    for (tag, q) in entries {
        let Some(lang) = Lang::from_tag(tag) else {
            continue;
        };
        let weight = q.unwrap_or(1000);
        if weight > 0 && best.is_none_or(|(_, top)| weight > top) {
            best = Some((lang, weight));
        }
    }
    best.map(|(lang, _)| lang)
}

fn header(entries: &[(&str, Option<u16>)]) -> String {
    let parts: Vec<String> = entries
        .iter()
        .map(|(tag, q)| match q {
            None => (*tag).to_owned(),
            Some(1000) => format!("{tag};q=1"),
            Some(q) => format!("{tag};q=0.{q:03}"),
        })
        .collect();
    parts.join(", ")
}

proptest! {
    #[test]
    fn a_language_round_trips_through_its_tag_and_json(i in 0..3usize, region in "(-[A-Z]{2})?") {
        let lang = LANGS[i];
        prop_assert_eq!(Lang::from_tag(lang.code()), Some(lang));
        prop_assert_eq!(Lang::from_tag(&format!("{}{region}", lang.code())), Some(lang));
        let json = serde_json::to_string(&lang).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(serde_json::from_str::<Lang>(&json).ok(), Some(lang));
    }

    #[test]
    fn accept_language_picks_the_heaviest_language_we_speak(
        entries in prop::collection::vec(entry(), 0..6)
    ) {
        let header = header(&entries);
        prop_assert_eq!(Lang::from_accept_language(&header), model(&entries), "{}", header);
        let page = Lang::for_page(None, Some(&header));
        prop_assert_eq!(page, model(&entries).unwrap_or(Lang::En));
    }

    #[test]
    fn language_parsing_never_panics(s in any::<String>(), tag in any::<String>()) {
        let _ = Lang::from_tag(&s);
        let _ = Lang::from_accept_language(&s);
        let _ = Lang::for_page(Some(&tag), Some(&s));
        let _ = Lang::choose(Some(&tag), s.split(','));
    }

    #[test]
    fn digits_and_amounts_read_back_as_the_number(n in any::<u32>()) {
        prop_assert_eq!(text::digits(n), n.to_string());
        let shown = text::amount(n);
        let bare: String = shown
            .trim_end_matches("\u{a0}kr")
            .chars()
            .filter(|c| *c != '\u{a0}')
            .collect();
        let Some((kroner, ore)) = bare.split_once(',') else {
            return Err(TestCaseError::fail(format!("no comma in {shown}")));
        };
        prop_assert_eq!(ore.len(), 2);
        prop_assert_eq!(kroner.parse::<u64>().ok().map(|k| k * 100) .zip(ore.parse::<u64>().ok()).map(|(k, o)| k + o), Some(u64::from(n)));
    }

    #[test]
    fn fill_replaces_only_its_placeholders(template in any::<String>(), amount in "[0-9 ,]{0,12}", merchant in any::<String>()) {
        let filled = text::fill(&template, &amount, &merchant);
        if !template.contains('{') {
            prop_assert_eq!(filled, template);
        }
    }

    #[test]
    fn plain_appearance_values_of_each_shape_are_accepted(
        hex in "#([0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})",
        rgb in "rgba?\\([0-9]{1,3}, ?[0-9]{1,3}, ?[0-9]{1,3}\\)",
        length in "0|[0-9]{1,4}(\\.[0-9]{1,3})?(px|rem|em)",
        font in "[A-Za-z][A-Za-z0-9-]{0,15}(, ?\"[A-Za-z0-9 -]{1,15}\")?",
    ) {
        prop_assert!(plainly_valid(Kind::Colour, &hex), "{}", hex);
        prop_assert!(plainly_valid(Kind::Colour, &rgb), "{}", rgb);
        prop_assert!(plainly_valid(Kind::Length, &length), "{}", length);
        prop_assert!(plainly_valid(Kind::FontFamily, &font), "{}", font);
    }

    #[test]
    fn no_accepted_appearance_value_can_leave_its_css_declaration(
        any_text in any::<String>(),
        css_like in "(rgba?|hsl|#|[A-Za-z]{1,3})?[0-9a-f ,'\"#()%./;:{}<>*-]{1,24}",
    ) {
        for (kind, value) in [Kind::Colour, Kind::Length, Kind::FontFamily]
            .into_iter()
            .flat_map(|kind| [(kind, any_text.clone()), (kind, css_like.clone())])
        {
            if plainly_valid(kind, &value) {
                prop_assert!(value.len() <= MAX_VALUE_LEN);
                prop_assert!(!value.contains([';', '{', '}', '<', '>', '\\', '\n', '\r']), "{:?} {}", kind, value);
                prop_assert!(value.is_ascii());
                prop_assert!(!value.contains("/*"), "a comment opens in {}", value);
                let quotes = |q| value.matches(q).count() % 2;
                prop_assert_eq!((quotes('"'), quotes('\'')), (0, 0), "{}", value);
            }
        }
    }
}
