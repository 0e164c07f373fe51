import v8 from 'node:v8';

// V8 decides per allocation site (an object or array literal in the code) whether the objects it
// makes live long, from how many survive young-generation collections, and then allocates that
// site's later objects straight into the old generation ("pretenuring"). A bulk write holds
// thousands of objects across database round trips, so sites it shares with every later request
// (in Fastify, pg and our own code) get marked long-lived; from then on each request's short-lived
// objects fill the old generation, and every collection has more to do. The heuristic is turned
// off for the whole process, before any of the server's code runs: main.ts imports this first.
// Measured in the catalog benchmark at 1M entities (issue 3's notes): re-sending the catalog
// unchanged cost 12-37% less Node CPU in a server that had imported it, GET was unchanged.
v8.setFlagsFromString('--no-allocation-site-pretenuring');
