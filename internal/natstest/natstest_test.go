package natstest

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

func TestClusterElectsLeaders(t *testing.T) {
	c := Start(t, 3)
	nc, err := nats.Connect(c.URLs()[0])
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	start := time.Now()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "s", Subjects: []string{"s.>"}, Replicas: 3})
		cancel()
		if err == nil {
			break
		}
		t.Log(time.Since(start), err)
		if time.Since(start) > 20*time.Second {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Log("stream made after", time.Since(start))
}
