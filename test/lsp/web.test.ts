/**
 * The protocol suites again, against the server built for a web worker (dist/web/server.js, run as in a
 * worker by test/helpers/workerHost.ts): it must answer every request, notification and hostile input
 * as the Node server does (the delivery report reads every file through the client there). Each suite
 * starts its servers with the shared test client, which starts that build when PMTA_TEST_SERVER=web; editor.test.ts checks that the server answering is that build. (Not
 * the suites that are the Node server's own: context.test.ts, about configurations on disk, which the
 * web server reads through the client (see browser.test.ts), and server.test.ts, which starts
 * dist/server.js itself.)
 */
process.env.PMTA_TEST_SERVER = 'web';
/* eslint-disable @typescript-eslint/no-require-imports */
require('./protocol.test');
require('./editor.test');
require('./settings.test');
require('./hostile.test');
require('./report.test');
