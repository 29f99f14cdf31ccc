// Behaviour every page may use, declared in the markup (the Content-Security-Policy allows
// no inline scripts or on*= handlers).
(function () {
  "use strict";

  // <select data-submit-on-change>: choosing a value submits its form.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.form && field.hasAttribute("data-submit-on-change")) {
      field.form.submit();
    }
  });
})();
