import { OrderBook } from '../../src/market/order-book.js';
import { ReferenceOrderBook } from '../helpers/reference-order-book.js';
import { orderBookSuite } from './order-book.suite.js';

// One suite, two implementations: the fast book and the naive reference are
// held to the same written rules.
orderBookSuite('OrderBook', (options) => new OrderBook(options));
orderBookSuite('ReferenceOrderBook', (options) => new ReferenceOrderBook(options));
