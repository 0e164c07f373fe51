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

// The young generation's size is the other V8 setting the server changes, but heap sizes are fixed
// when V8 starts, so it is a command-line flag: `--max-semi-space-size=32` in package.json's start
// script and the Dockerfile (MB per semi-space; V8's default on 64-bit is 16). A bulk write of
// 1,000 entities allocates far more than 16 MB of short-lived objects, and each young collection
// that runs during it copies the batch's live objects again: with 32, the portal's Node CPU per
// 100k entities written fell by 15% (new), 28% (changed) and 21% (unchanged) in two alternating
// pairs of the catalog benchmark.
