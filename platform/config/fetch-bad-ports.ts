/**
 * The ports the Fetch standard blocks (https://fetch.spec.whatwg.org/#block-bad-port): Node's fetch, which
 * `npm start`, the gateway's readiness and the tests use to reach the services, refuses them ("bad port"),
 * and so do browsers, which the explorer and the web client need. A service on one of them listens but
 * cannot be reached: refused in configuration instead, naming the port.
 */
const BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179,
  389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000,
  6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

export const fetchRefusesPort = (port: number): boolean => BAD_PORTS.has(port);
