// HợpTác — small behaviours of the tasks and review pages (no dependencies).
(() => {
  // <input type="checkbox" data-toggle-class="cls" data-target="#id">: toggles the class on the target.
  document.querySelectorAll("[data-toggle-class]").forEach((box) => {
    const target = document.querySelector(box.dataset.target);
    if (!target) return;
    const apply = () => target.classList.toggle(box.dataset.toggleClass, box.checked);
    box.addEventListener("change", apply);
    apply();
  });
})();
