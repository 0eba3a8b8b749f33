// Set an image's focal point by clicking the picture: fills the focal_x / focal_y fields (0–1).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-focal-picker]").forEach(function (picker) {
    var picture = picker.querySelector("img");
    var marker = picker.querySelector(".focal-marker");
    var fieldX = document.getElementById("id_focal_x");
    var fieldY = document.getElementById("id_focal_y");
    if (!picture || !fieldX || !fieldY) return;
    function place() {
      marker.style.left = parseFloat(fieldX.value) * 100 + "%";
      marker.style.top = parseFloat(fieldY.value) * 100 + "%";
    }
    picture.addEventListener("click", function (event) {
      var box = picture.getBoundingClientRect();
      var clamp = function (value) { return Math.min(1, Math.max(0, value)).toFixed(3); };
      fieldX.value = clamp((event.clientX - box.left) / box.width);
      fieldY.value = clamp((event.clientY - box.top) / box.height);
      place();
    });
    fieldX.addEventListener("input", place);
    fieldY.addEventListener("input", place);
  });
});
