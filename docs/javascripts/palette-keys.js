// Space operates the light/dark toggle as Enter does. Keyboard focus lands on Material's checked, visually
// hidden palette radio, and Space on a checked radio does nothing; clicking the label next to it switches
// the scheme exactly as a mouse click would.
document.addEventListener("keydown", (event) => {
  const input = event.target;
  if (event.key !== " " || !(input instanceof HTMLInputElement) || input.name !== "__palette") return;
  const label = input.nextElementSibling;
  if (label instanceof HTMLLabelElement) {
    event.preventDefault();
    label.click();
  }
});
