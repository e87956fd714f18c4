"""One module per use case; each is a class whose ``__call__`` runs it."""

from twitter.application.use_cases.authenticate import Authenticate
from twitter.application.use_cases.check_health import CheckHealth, Health
from twitter.application.use_cases.delete_tweet import DeleteTweet
from twitter.application.use_cases.delete_user import DeleteUser
from twitter.application.use_cases.describe_tweets import DescribeTweets, TweetView
from twitter.application.use_cases.follow_user import FollowUser
from twitter.application.use_cases.get_home_timeline import GetHomeTimeline
from twitter.application.use_cases.get_profile import GetProfile, Profile
from twitter.application.use_cases.get_tweet import GetTweet
from twitter.application.use_cases.get_user import GetUser
from twitter.application.use_cases.get_user_by_username import GetUserByUsername
from twitter.application.use_cases.identify_user import IdentifyUser
from twitter.application.use_cases.like_tweet import LikeTweet
from twitter.application.use_cases.list_followers import ListFollowers
from twitter.application.use_cases.list_following import ListFollowing
from twitter.application.use_cases.list_liked_tweets import ListLikedTweets
from twitter.application.use_cases.list_liking_users import ListLikingUsers
from twitter.application.use_cases.list_tweets import ListTweets
from twitter.application.use_cases.list_user_likes import ListUserLikes
from twitter.application.use_cases.list_user_tweets import ListUserTweets
from twitter.application.use_cases.list_users import ListUsers
from twitter.application.use_cases.post_tweet import PostTweet
from twitter.application.use_cases.register_user import RegisterUser
from twitter.application.use_cases.revoke_token import RevokeToken
from twitter.application.use_cases.unfollow_user import UnfollowUser
from twitter.application.use_cases.unlike_tweet import UnlikeTweet

__all__ = [
    "Authenticate",
    "CheckHealth",
    "DeleteTweet",
    "DeleteUser",
    "DescribeTweets",
    "FollowUser",
    "GetHomeTimeline",
    "GetProfile",
    "GetTweet",
    "GetUser",
    "GetUserByUsername",
    "Health",
    "IdentifyUser",
    "LikeTweet",
    "ListFollowers",
    "ListFollowing",
    "ListLikedTweets",
    "ListLikingUsers",
    "ListTweets",
    "ListUserLikes",
    "ListUserTweets",
    "ListUsers",
    "PostTweet",
    "Profile",
    "RegisterUser",
    "RevokeToken",
    "TweetView",
    "UnfollowUser",
    "UnlikeTweet",
]
