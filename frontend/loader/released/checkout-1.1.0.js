/*! Vipps PSP checkout loader 1.1.0. Embedding, events, protocol: frontend/README.md */
(function () {
  "use strict";

  var VERSION = "1.1.0";
  var SOURCE = "vipps-psp";
  var SETTLES = { succeeded: 1, cancelled: 1, expired: 1 };
  var EVENTS = { awaiting_app: "awaiting-app", succeeded: 1, failed: 1, cancelled: 1, expired: 1 };
  var VARIABLES = ["colorPrimary", "colorBackground", "colorText", "colorDanger",
    "borderRadius", "fontFamily", "spacingUnit"];

  var script = document.currentScript;
  var origin = new URL(script ? script.src : "/", location.href).origin;

  // As the widget's device.rs: a phone's user agent, or a touch screen of phone size.
  function isPhone() {
    return /Mobi|Android|iPhone|iPad/.test(navigator.userAgent) ||
      (matchMedia("(pointer: coarse)").matches && Math.min(screen.width, screen.height) <= 600);
  }

  function pick(value, allowed) {
    return typeof value === "string" && allowed.test(value) ? value : null;
  }

  // Only the known variables, as strings; the widget checks each value with CSS.supports.
  function variables(appearance) {
    var given = (appearance && appearance.variables) || {};
    var out = {};
    VARIABLES.forEach(function (key) {
      if (typeof given[key] === "string") out[key] = given[key].slice(0, 200);
    });
    return out;
  }

  function mount(target, options) {
    return new Promise(function (resolve, reject) {
      var container = typeof target === "string" ? document.querySelector(target) : target;
      options = options || {};
      if (!container || !container.appendChild) {
        return reject(new Error("VippsPsp.mount: no container " + target));
      }
      if (!options.payment || !options.clientSecret) {
        return reject(new Error("VippsPsp.mount: payment and clientSecret are required"));
      }
      var locale = pick(options.locale, /^(nb|nn|no|en)(-[A-Za-z]{2})?$/);
      var theme = pick(options.theme, /^(light|dark|auto)$/);
      var iframe = document.createElement("iframe");
      iframe.src = origin + "/widget/?payment=" + encodeURIComponent(options.payment) +
        (locale ? "&locale=" + locale : "") + (theme ? "&theme=" + theme : "");
      iframe.title = /^(nb|nn|no)/.test(locale || navigator.language) ? "Betal med Vipps" : "Pay with Vipps";
      iframe.setAttribute("allow", "payment");
      iframe.style.cssText = "display:block;width:100%;height:240px;border:0";

      var last = null;

      function emit(name, detail) {
        container.dispatchEvent(new CustomEvent("vipps-psp:" + name, { detail: detail, bubbles: true }));
      }

      function onStatus(status, reason) {
        var detail = { status: status, reason: reason };
        if (last === status + "/" + reason) return;
        last = status + "/" + reason;
        emit("status", detail);
        if (EVENTS[status]) emit(EVENTS[status] === 1 ? status : EVENTS[status], detail);
        if (SETTLES[status]) resolve(detail);
      }

      addEventListener("message", function (event) {
        var data = event.data;
        if (event.source !== iframe.contentWindow || event.origin !== origin) return;
        if (!data || typeof data !== "object" || data.source !== SOURCE) return;
        if (data.type === "ready") {
          iframe.contentWindow.postMessage({
            source: SOURCE,
            type: "init",
            clientSecret: String(options.clientSecret),
            appearance: { variables: variables(options.appearance) },
            phone: isPhone()
          }, origin);
          emit("ready", {});
        } else if (data.type === "resize" && data.height > 0) {
          iframe.style.height = Math.ceil(data.height) + "px";
        } else if (data.type === "status" && typeof data.status === "string") {
          onStatus(data.status, typeof data.reason === "string" ? data.reason : null);
        } else if (data.type === "started") {
          emit("started", {});
        } else if (data.type === "navigate" && /^https?:$/.test(url(data.url).protocol)) {
          // The app switch on a phone: the page itself goes to Vipps.
          location.href = url(data.url).href;
        }
      });

      container.appendChild(iframe);
    });
  }

  function url(value) {
    try {
      return new URL(value);
    } catch (e) {
      return { protocol: "" };
    }
  }

  function mountFromTag(tag) {
    var selector = tag.getAttribute("data-container");
    var container = selector && document.querySelector(selector);
    if (!selector) {
      container = document.createElement("div");
      tag.parentNode.insertBefore(container, tag.nextSibling);
    }
    mount(container || selector, {
      payment: tag.getAttribute("data-payment"),
      clientSecret: tag.getAttribute("data-client-secret"),
      locale: tag.getAttribute("data-locale"),
      theme: tag.getAttribute("data-theme")
    })["catch"](function (error) {
      if (window.console) console.error(error);
    });
  }

  window.VippsPsp = window.VippsPsp || { mount: mount, version: VERSION };

  if (script && script.getAttribute("data-payment")) {
    var selector = script.getAttribute("data-container");
    // The container may come later in the page than the script tag.
    if (selector && !document.querySelector(selector) && document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () {
        mountFromTag(script);
      });
    } else {
      mountFromTag(script);
    }
  }
})();
