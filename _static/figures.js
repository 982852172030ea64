// Keyboard access to the book's Plotly figures (see book_extensions/plotly_offline.py).
// Plotly's mode-bar buttons are links without href, which a keyboard cannot reach;
// make each one a focusable, labelled button that Enter or Space presses.
window.courseFigureReady = function (figure) {
  function enableKeyboard() {
    figure.querySelectorAll(".modebar-btn").forEach(function (button) {
      if (button.dataset.keyboard) return;
      button.dataset.keyboard = "yes";
      button.setAttribute("tabindex", "0");
      button.setAttribute("role", "button");
      button.setAttribute("aria-label", button.getAttribute("data-title") || "Chart control");
      button.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          button.dispatchEvent(new MouseEvent("click", { bubbles: true }));
        }
      });
    });
  }
  enableKeyboard();
  figure.on("plotly_afterplot", enableKeyboard);  // the mode bar is redrawn after zooms
};
