// HợpTác — layout on small screens. A <details data-phone-closed open> (the list filters, the plan's document
// panels) starts closed on a phone (and closes when the window narrows to one) so that what matters comes
// first, unless it shows an error.
// A table wider than its box says so: a hint above it ("Kéo ngang để xem thêm cột") and a faded
// edge on the side that has more columns; the box can be scrolled with the keyboard. The hint's words come
// from the script tag (data-scroll-hint, translated by the template). Without JavaScript the box still scrolls.
(() => {
  const hint = document.currentScript ? document.currentScript.dataset.scrollHint : "";
  const mark = (box) => {
    const wide = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle("is-wide", wide);
    box.classList.toggle("more-left", wide && box.scrollLeft > 1);
    box.classList.toggle("more-right", wide && box.scrollLeft + box.clientWidth < box.scrollWidth - 1);
    let note = box.previousElementSibling;
    if (!(note && note.classList.contains("scroll-hint"))) note = null;
    if (wide && !note && hint) {
      note = document.createElement("p");
      note.className = "scroll-hint";
      note.textContent = hint + " →";
      note.setAttribute("aria-hidden", "true");
      box.before(note);
    }
    if (note) note.hidden = !wide;
    if (wide) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label") && hint) box.setAttribute("aria-label", hint);
    } else if (box.getAttribute("role") === "region") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  };
  const markAll = () => document.querySelectorAll(".table-scroll").forEach(mark);
  document.addEventListener("DOMContentLoaded", () => {
    // Closed on a phone, open on a wider screen; again when the width crosses the line (a tablet turned).
    const phone = window.matchMedia("(max-width: 760px)");
    const fold = () => {
      document.querySelectorAll("details[data-phone-closed]").forEach((d) => {
        d.open = !phone.matches || Boolean(d.querySelector(".has-error, .alert.error"));
      });
    };
    if (phone.matches) fold();
    phone.addEventListener("change", fold);
    markAll();
    document.querySelectorAll(".table-scroll").forEach((box) => {
      box.addEventListener("scroll", () => mark(box), { passive: true });
    });
    window.addEventListener("resize", markAll);
    // A closed <details> holds its tables at zero width: check them again when opened.
    document.querySelectorAll("details").forEach((d) => d.addEventListener("toggle", markAll));
  });
})();
