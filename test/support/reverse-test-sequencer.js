/**
 * Jest test sequencer for the order-independence check: Jest's own order, reversed. Test files share processes
 * under jest-light-runner (test/support/light-runner.mjs), so a file must pass whichever files ran before it in
 * its process: `npx jest --testSequencer ./test/support/reverse-test-sequencer.js` runs the suite in another order
 * (and so with other neighbours in each process) than `npm test`.
 */
const Sequencer = require('@jest/test-sequencer').default;

class ReverseTestSequencer extends Sequencer {
  async sort(tests) {
    return [...(await super.sort(tests))].reverse();
  }
}

module.exports = ReverseTestSequencer;
