package main

import "sync"

// wakeups lets a StreamingPull stream that found nothing to deliver sleep
// until something may have changed for it, instead of polling pstest in a
// busy loop. Keys are resource names: a topic's name is notified when
// messages are published to it, a subscription's name when one of its
// messages is acked or nacked (which can free the next message of an
// ordering key or make a message deliverable again), or when the
// subscription is updated, sought or deleted.
//
// Events pstest produces on its own timer (an ack deadline passing, a
// message moved to a dead-letter topic) are not seen here; streams also
// wake up on a short poll interval for those (see pollInterval).
type wakeups struct {
	mu      sync.Mutex
	waiting map[string]chan struct{}
}

func newWakeups() *wakeups {
	return &wakeups{waiting: map[string]chan struct{}{}}
}

// watch returns a channel that is closed at the next notify(key). Take it
// before looking at pstest's state, so an event between the look and the
// wait is not missed.
func (w *wakeups) watch(key string) <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	c, ok := w.waiting[key]
	if !ok {
		c = make(chan struct{})
		w.waiting[key] = c
	}
	return c
}

// notify wakes every watcher of key.
func (w *wakeups) notify(key string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if c, ok := w.waiting[key]; ok {
		close(c)
		delete(w.waiting, key)
	}
}
