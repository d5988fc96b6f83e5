package redis

import (
	"context"
	"strings"

	"examhall/telemetry"

	"github.com/redis/rueidis"
	"go.opentelemetry.io/otel/attribute"
)

// tracedClient makes a client span of every command (a script's EVALSHA
// included), under the caller's span. The spans name the command, never
// its keys or arguments.
type tracedClient struct {
	rueidis.Client
	t telemetry.Tracer
}

func (c tracedClient) Do(ctx context.Context, cmd rueidis.Completed) rueidis.RedisResult {
	ctx, end := c.t.Start(ctx, "redis", command(cmd))
	r := c.Client.Do(ctx, cmd)
	end(redisErr(r.Error()))
	return r
}

func (c tracedClient) DoMulti(ctx context.Context, cmds ...rueidis.Completed) []rueidis.RedisResult {
	names := make([]string, 0, len(cmds))
	for _, cmd := range cmds {
		names = append(names, command(cmd))
	}
	ctx, end := c.t.Start(ctx, "redis", "pipeline", attribute.StringSlice("db.redis.commands", names))
	rs := c.Client.DoMulti(ctx, cmds...)
	var err error
	for _, r := range rs {
		if e := redisErr(r.Error()); e != nil && err == nil {
			err = e
		}
	}
	end(err)
	return rs
}

// command is a command's name, such as EVALSHA or HSET.
func command(cmd rueidis.Completed) string {
	if c := cmd.Commands(); len(c) > 0 {
		return strings.ToUpper(c[0])
	}
	return "COMMAND"
}

// redisErr is err, except that a missing key (nil reply) is no failure.
func redisErr(err error) error {
	if rueidis.IsRedisNil(err) {
		return nil
	}
	return err
}
