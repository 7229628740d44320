// The queue tests start their own Redis the way the bench does (one launcher for both).
export { freePort, redisAvailable, startRedis, type RedisServer } from '../../../bench/distributedRedis.js';
