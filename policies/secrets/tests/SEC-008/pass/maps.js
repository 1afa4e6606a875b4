export const maps = new google.maps.Map(el, {zoom: 4});
const key = process.env.MAPS_API_KEY;
// Keys look like AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX
