//! Light, dark or the system's (`data-theme` on `<html>`, from `?theme=`), and the
//! merchant's `appearance.variables` from `init`, applied as CSS custom properties once
//! the browser agrees each value is valid for what it styles (`CSS.supports`).

use js_sys::Reflect;
use shared::appearance::{MAX_VALUE_LEN, VARIABLES};
use wasm_bindgen::JsValue;

/// The colour scheme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
    /// `prefers-color-scheme` decides.
    #[default]
    Auto,
}

impl Theme {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "light" => Some(Self::Light),
            "dark" => Some(Self::Dark),
            "auto" => Some(Self::Auto),
            _ => None,
        }
    }

    /// The value of `<html data-theme>`, which `style.css` keys on.
    pub fn name(self) -> &'static str {
        match self {
            Self::Light => "light",
            Self::Dark => "dark",
            Self::Auto => "auto",
        }
    }
}

/// Sets the merchant's variables on `<html>`: known keys with string values the browser
/// accepts only; everything else is ignored.
pub fn apply_appearance(appearance: &JsValue) {
    let Some(variables) = object_field(appearance, "variables") else {
        return;
    };
    let Some(root) = root_style() else {
        return;
    };
    for variable in VARIABLES {
        let value = Reflect::get(&variables, &variable.key.into())
            .ok()
            .and_then(|value| value.as_string());
        if let Some(value) = value
            && value.len() <= MAX_VALUE_LEN
            && web_sys::css::supports_with_value(variable.probe, &value).unwrap_or(false)
        {
            _ = root.set_property(variable.property, &value);
        }
    }
}

/// Puts `lang` and `data-theme` on `<html>`.
pub fn mark_root(lang: &str, theme: Theme) {
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element());
    if let Some(root) = root {
        _ = root.set_attribute("lang", lang);
        _ = root.set_attribute("data-theme", theme.name());
    }
}

fn root_style() -> Option<web_sys::CssStyleDeclaration> {
    use wasm_bindgen::JsCast;
    let root = web_sys::window()?.document()?.document_element()?;
    Some(root.dyn_into::<web_sys::HtmlElement>().ok()?.style())
}

fn object_field(value: &JsValue, key: &str) -> Option<JsValue> {
    if !value.is_object() {
        return None;
    }
    Reflect::get(value, &key.into())
        .ok()
        .filter(JsValue::is_object)
}
