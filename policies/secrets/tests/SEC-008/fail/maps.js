export const maps = new google.maps.Map(el, {zoom: 4});
const key = "<<ward:google-api-key>>";
