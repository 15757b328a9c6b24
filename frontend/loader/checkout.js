/*
 * Vipps PSP checkout loader: embeds the checkout widget in an iframe.
 *
 * Script tag (mounts into data-container, or right after the script tag without one):
 *   <script src="https://psp.example/checkout.js" data-payment="pay_…"
 *           data-client-secret="…" data-container="#vipps-checkout"></script>
 *
 * JavaScript:
 *   VippsPsp.mount("#vipps-checkout", { payment: "pay_…", clientSecret: "…" })
 *     .then(function (result) { ... });
 *   The promise resolves once with { status, reason } when the payment reaches a final
 *   status: "succeeded", "failed" (reason: a FailureReason code such as
 *   "insufficient_funds"), "cancelled" or "expired"; reason is null unless failed.
 *   It rejects (with an Error) only when it cannot mount: no container, or no
 *   payment/clientSecret.
 *
 * Events, dispatched on the container (they bubble):
 *   vipps-psp:ready      the widget has loaded (again after a reload of the frame)
 *   vipps-psp:status     detail { status, reason } on every status change
 *   vipps-psp:succeeded, vipps-psp:failed, vipps-psp:cancelled, vipps-psp:expired
 *                        once, on the final status; detail { status, reason }
 *
 * The client secret goes to the widget by postMessage, to the widget origin only,
 * and never into a URL. Messages are accepted only from our iframe and origin.
 */
(function () {
  "use strict";

  var SOURCE = "vipps-psp";
  var FINAL = { succeeded: true, failed: true, cancelled: true, expired: true };

  var script = document.currentScript || findScript();
  var origin = new URL(script ? script.src : "/", window.location.href).origin;

  function findScript() {
    var scripts = document.querySelectorAll("script[src]");
    for (var i = scripts.length - 1; i >= 0; i--) {
      if (/\/checkout\.js(\?|#|$)/.test(scripts[i].src)) return scripts[i];
    }
    return null;
  }

  function mount(target, options) {
    return new Promise(function (resolve, reject) {
      var container = typeof target === "string" ? document.querySelector(target) : target;
      if (!container || !container.appendChild) {
        return reject(new Error("VippsPsp.mount: no container " + target));
      }
      if (!options || !options.payment || !options.clientSecret) {
        return reject(new Error("VippsPsp.mount: payment and clientSecret are required"));
      }

      var iframe = document.createElement("iframe");
      iframe.src = origin + "/widget/?payment=" + encodeURIComponent(options.payment);
      iframe.title = "Pay with Vipps";
      iframe.setAttribute("allow", "payment");
      iframe.style.cssText = "display:block;width:100%;height:240px;border:0;";

      var last = null;
      var settled = false;

      function emit(name, detail) {
        var event = new CustomEvent("vipps-psp:" + name, { detail: detail, bubbles: true });
        container.dispatchEvent(event);
      }

      function onStatus(status, reason) {
        if (last === status + "/" + reason) return;
        last = status + "/" + reason;
        emit("status", { status: status, reason: reason });
        if (FINAL[status] === true && !settled) {
          settled = true;
          emit(status, { status: status, reason: reason });
          resolve({ status: status, reason: reason });
        }
      }

      window.addEventListener("message", function (event) {
        var data = event.data;
        if (event.source !== iframe.contentWindow || event.origin !== origin) return;
        if (!data || typeof data !== "object" || data.source !== SOURCE) return;
        if (data.type === "ready") {
          var init = { source: SOURCE, type: "init", clientSecret: String(options.clientSecret) };
          iframe.contentWindow.postMessage(init, origin);
          emit("ready", {});
        } else if (data.type === "resize" && typeof data.height === "number" && data.height > 0) {
          iframe.style.height = Math.ceil(data.height) + "px";
        } else if (data.type === "status" && typeof data.status === "string") {
          onStatus(data.status, typeof data.reason === "string" ? data.reason : null);
        }
      });

      container.appendChild(iframe);
    });
  }

  function mountFromScriptTag(script) {
    var payment = script.getAttribute("data-payment");
    if (!payment) return;
    var selector = script.getAttribute("data-container");
    var container;
    if (selector) {
      container = document.querySelector(selector);
    } else {
      container = document.createElement("div");
      script.parentNode.insertBefore(container, script.nextSibling);
    }
    mount(container || selector, {
      payment: payment,
      clientSecret: script.getAttribute("data-client-secret")
    })["catch"](function (error) {
      if (window.console) window.console.error(error);
    });
  }

  window.VippsPsp = window.VippsPsp || { mount: mount };

  if (script && script.getAttribute("data-payment")) {
    var tag = script;
    var container = tag.getAttribute("data-container");
    // The container may come later in the page than the script tag.
    if (container && !document.querySelector(container) && document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () {
        mountFromScriptTag(tag);
      });
    } else {
      mountFromScriptTag(tag);
    }
  }
})();
